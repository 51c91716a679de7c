// Reads the previous run's NDJSON for --diff and --previous, through the one reader of saved
// results (input/read-results.ts: line-numbered, schema-checked, damaged lines skipped). The file
// can hold a million domains, so each result is reduced to a snapshot at once; only the
// snapshots stay. A file of another schema is refused as a whole, since its words may mean
// other things.

import { readResultSummaries, ResultsVersionError, type ResultsProblem } from '../input/read-results.js';
import { createHostListPool, createHostPool } from './host-pool.js';
import { toSnapshot } from './snapshot.js';
import { SnapshotStore, type Snapshots } from './snapshot-store.js';

/** A skipped line: its number and why. */
export type BadLine = ResultsProblem;

export interface PreviousRun {
  /** By domain (the policy key). */
  snapshots: Snapshots;
  /** Domain lines read, good or bad (the record lines of a compact file are not counted). */
  lines: number;
  badLines: number;
}

/** The file cannot be used at all (other schema, nothing readable); the message says why. */
export class PreviousRunError extends Error {
  override name = 'PreviousRunError';
}

export interface ReadPreviousOptions {
  /** Called for each line that is skipped. */
  onBadLine?: (bad: BadLine) => void;
}

export async function readPrevious(path: string, options: ReadPreviousOptions = {}): Promise<PreviousRun> {
  const share = createHostPool();
  const shareHosts = createHostListPool();
  const snapshots = new SnapshotStore();
  let good = 0;
  let badLines = 0;
  const onProblem = (bad: BadLine) => {
    badLines++;
    options.onBadLine?.(bad);
  };
  try {
    // Summaries: a snapshot needs no probe record, so none is kept (a compact file of a million
    // domains is read without holding its probes).
    for await (const saved of readResultSummaries(path, onProblem)) {
      good++;
      const snapshot = toSnapshot(saved, saved.policy, share, shareHosts);
      // A domain twice (a resumed run, files joined by hand): the later scan is the one to compare with.
      const earlier = snapshots.get(snapshot.domain);
      if (!earlier || earlier.scannedAt <= snapshot.scannedAt) snapshots.set(snapshot);
    }
  } catch (error) {
    if (error instanceof ResultsVersionError) throw new PreviousRunError(`${error.message}; compare with a run made by this version`);
    throw error;
  }
  const read = good + badLines;
  // Every domain would look new and no regression could be found: the alert would stay silent.
  if (read > 0 && snapshots.size === 0) {
    throw new PreviousRunError(`${path}: none of its ${read} lines is a domain result; expected the ndjson output of mxtls scan`);
  }
  return { snapshots, lines: read, badLines };
}
