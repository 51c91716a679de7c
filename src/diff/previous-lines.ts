import type { PreviousLine } from '../types.js';
import type { PreviousRun } from './read-previous.js';

/** The lines of a previous run, for --previous: the same reading as --diff uses. */
export function previousLines(run: PreviousRun): Map<string, PreviousLine> {
  const lines = new Map<string, PreviousLine>();
  for (const [domain, snapshot] of run.snapshots) if (snapshot.line) lines.set(domain, snapshot.line);
  return lines;
}
