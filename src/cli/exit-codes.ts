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
