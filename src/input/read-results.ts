// The one reader of saved results (the NDJSON that `mxtls scan --format ndjson` writes), for
// --diff, --previous, --resume and `mxtls policy` alike. A file can hold a million domains, so
// it streams, one domain at a time. Each line is checked against the JSON Schema of its version
// (result-versions.ts): a damaged line (a run killed mid-write, an edit by hand) is reported with
// its number and the first error's JSON pointer, then skipped; one bad line must not stop a run.
// A line of a version this mxtls does not know stops the reading, since its fields may mean other
// things.
//
// A compact file (schema 2, input/saved-form.ts) holds record lines, and domain lines whose
// probes name a record written before them. `readResults` keeps the records it has read and
// yields whole results (for a replay, a resume, a merge: memory grows with the file's distinct
// probes and certificates). `readResultSummaries` keeps no record and yields each domain line as
// it is written (for --diff and --previous, which read only a probe's summary: a file of a
// million domains is read in memory that does not grow with its probes).

import { open } from 'node:fs/promises';
import { createInterface, type Interface } from 'node:readline';
import type { Readable } from 'node:stream';
import { decodedStream } from '../util/decoded-stream.js';
import { RESULT_VERSIONS, type SavedDomainLine, type SavedLine, type SavedResult } from './result-versions.js';
import { isRecord, RecordStore } from './saved-form.js';
import type { DomainResult } from '../types.js';

export type { SavedDomainLine, SavedLine, SavedResult };

export interface ResultsProblem {
  /** 1-based line number in the file. */
  line: number;
  error: string;
}

/** A line of a schema version this mxtls cannot read: the file is refused. */
export class ResultsVersionError extends Error {
  override name = 'ResultsVersionError';
  constructor(
    readonly path: string,
    readonly line: number,
    readonly schema: number,
  ) {
    super(`${path}:${line}: results of schema ${schema}, this mxtls reads schema ${[...RESULT_VERSIONS.keys()].join(', ')}`);
  }
}

/** The version a parsed line claims, or the newest one when it claims none (so that the check
 *  reports what is wrong with its `schema`). */
function versionOf(value: unknown): number | undefined {
  const schema = typeof value === 'object' && value !== null ? (value as { schema?: unknown }).schema : undefined;
  return typeof schema === 'number' ? schema : undefined;
}

const NEWEST = Math.max(...RESULT_VERSIONS.keys());

/** What our writer starts a record line with (input/saved-form.ts): lines a reader skips are
 *  recognised before they are parsed, as a compact file is mostly records. */
const RECORD_PREFIX = /^\{"schema":\d+,"record":/;

/** Every checked line of the file in today's shape; records too unless `skipRecords`. */
async function* readLines(path: string, onProblem: (p: ResultsProblem) => void, skipRecords = false): AsyncGenerator<{ line: number; value: SavedLine }> {
  // Opened first so that a missing or unreadable file rejects here, with the file system's error.
  const handle = await open(path, 'r');
  let input: Readable | undefined;
  let lines: Interface | undefined;
  let n = 0;
  try {
    // A gzipped file (`--output run.ndjson.gz`) is read as it is, whatever its name.
    input = await decodedStream(handle.createReadStream(), path);
    lines = createInterface({ input, crlfDelay: Infinity });
    for await (const raw of lines) {
      n++;
      const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      // A blank line is no result and no problem. /\S/ stops at the first character of a line of
      // several kilobytes, where trim() would copy it.
      if (!/\S/.test(text)) continue;
      if (skipRecords && RECORD_PREFIX.test(text)) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        onProblem({ line: n, error: 'not JSON' });
        continue;
      }
      const claimed = versionOf(value);
      const version = RESULT_VERSIONS.get(claimed ?? NEWEST);
      if (!version) throw new ResultsVersionError(path, n, claimed!);
      const error = version.check(value);
      if (error !== undefined) {
        onProblem({ line: n, error });
        continue;
      }
      yield { line: n, value: version.upgrade(value) };
    }
  } finally {
    lines?.close();
    // Before the file is closed under it: a stream still reading it when a reader stops early (a
    // schema it does not know, a consumer that breaks off) would otherwise fail unheard.
    input?.destroy();
    await handle.close();
  }
}

/** Whole results: compact lines are completed from the records before them. */
export async function* readResults(path: string, onProblem: (p: ResultsProblem) => void): AsyncGenerator<SavedResult> {
  const records = new RecordStore();
  for await (const { line, value } of readLines(path, onProblem)) {
    if (isRecord(value)) {
      records.add(value);
      continue;
    }
    const whole = records.expand(value);
    if (typeof whole === 'string') onProblem({ line, error: whole });
    else yield whole;
  }
}

/** Domain lines as written, whole or compact; records are skipped unread. */
export async function* readResultSummaries(path: string, onProblem: (p: ResultsProblem) => void): AsyncGenerator<SavedDomainLine> {
  for await (const { value } of readLines(path, onProblem, true)) {
    if (!isRecord(value)) yield value;
  }
}

/**
 * The domain results of a saved run without the recommendation each line carried: a replay, a
 * resume or a report recommends again under today's options.
 */
export async function* savedDomainResults(path: string, onProblem: (p: ResultsProblem) => void): AsyncGenerator<DomainResult> {
  for await (const { policy: _saved, ...result } of readResults(path, onProblem)) yield result;
}

/** Every line as written, records and domain lines alike, in today's shape (for `mxtls merge`,
 *  which copies them). */
export async function* readSavedLines(path: string, onProblem: (p: ResultsProblem) => void): AsyncGenerator<SavedLine> {
  for await (const { value } of readLines(path, onProblem)) yield value;
}
