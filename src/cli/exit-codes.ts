import type { RunSummary } from '../run/run.js';

/** Documented in --help and the README; cron jobs test these. */
export const EXIT = {
  ok: 0,
  regression: 1,
  usage: 2,
  incomplete: 3,
  internalError: 4,
  /** install: the new table would lower more lines than --max-downgrades allows. */
  downgradesRefused: 5,
  /** install: a step failed and the installed table is unchanged, or --reload failed after installing. */
  installFailed: 6,
  interrupted: 130,
} as const;

/** A run's outcome as the documented exit status; `problems`: input lines that were skipped. */
export function exitCodeOf(summary: RunSummary, problems: number): number {
  if (summary.interrupted) return EXIT.interrupted;
  if (summary.regression) return EXIT.regression;
  if (summary.internalErrors > 0) return EXIT.internalError;
  return summary.unknown > 0 || problems > 0 ? EXIT.incomplete : EXIT.ok;
}
