// Reads the previous run's NDJSON for --diff. The file can hold a million domains, so it is
// read line by line and each line is reduced to a snapshot at once; only the snapshots stay.
// A damaged line is counted and reported, not fatal: one bad line must not stop the nightly
// diff. A file of another schema is refused as a whole, since its words may mean other things.

import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { SCHEMA_VERSION } from '../types.js';
import { createHostPool } from './host-pool.js';
import { parseReportLine } from './parse-report.js';
import { toSnapshot, type DomainSnapshot } from './snapshot.js';

export interface BadLine {
  line: number;
  error: string;
}

export interface PreviousRun {
  /** By domain (the policy key). */
  snapshots: Map<string, DomainSnapshot>;
  /** Non-blank lines read, good or bad. */
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
  // Opened first so that a missing or unreadable file rejects here, with the file system's error.
  const handle = await open(path, 'r');
  const lines = createInterface({ input: handle.createReadStream({ encoding: 'utf8' }), crlfDelay: Infinity });
  const share = createHostPool();
  const snapshots = new Map<string, DomainSnapshot>();
  let n = 0;
  let read = 0;
  let badLines = 0;
  try {
    for await (const raw of lines) {
      n++;
      const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      read++;
      const parsed = parseReportLine(text);
      if (!parsed.ok) {
        if (parsed.schema !== undefined) {
          throw new PreviousRunError(
            `${path}:${n}: results of schema ${parsed.schema}, this mxtls reads schema ${SCHEMA_VERSION}; ` +
              'compare with a run made by this version',
          );
        }
        badLines++;
        options.onBadLine?.({ line: n, error: parsed.error });
        continue;
      }
      const snapshot = toSnapshot(parsed.source, parsed.policy, share);
      // A domain twice (a resumed run, files joined by hand): the later scan is the one to compare with.
      const earlier = snapshots.get(snapshot.domain);
      if (!earlier || earlier.scannedAt <= snapshot.scannedAt) snapshots.set(snapshot.domain, snapshot);
    }
  } finally {
    lines.close();
    await handle.close();
  }
  // Every domain would look new and no regression could be found: the alert would stay silent.
  if (read > 0 && snapshots.size === 0) {
    throw new PreviousRunError(`${path}: none of its ${read} lines is a domain result; expected the ndjson output of mxtls scan`);
  }
  return { snapshots, lines: read, badLines };
}
