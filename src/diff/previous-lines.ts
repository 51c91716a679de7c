import type { PreviousLine } from '../types.js';
import type { PreviousRun } from './read-previous.js';
import { lineOf } from './snapshot.js';

/** What a run asks of an earlier run's lines (a Map is one). */
export interface PreviousLines {
  get(domain: string): PreviousLine | undefined;
}

/**
 * The lines of a previous run, for --previous: the same reading as --diff uses, and no second
 * copy of it (a million domains): each line is made from its snapshot when asked. A run asks
 * for a domain's line before its DiffSession drops that domain's snapshot (run/run.ts: carry-over,
 * then the diff), so one PreviousRun serves `--diff X --previous X` alike.
 */
export function previousLines(run: PreviousRun): PreviousLines {
  return {
    get: (domain) => {
      const snapshot = run.snapshots.get(domain);
      return snapshot ? lineOf(snapshot) : undefined;
    },
  };
}
