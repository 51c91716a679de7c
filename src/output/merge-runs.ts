// `mxtls merge` (issue 16 item 6): the NDJSON of several shards (or of several runs over parts
// of one list) joined into one run that --diff, --previous, `policy` and `report` read.
//
// Streaming, in two passes over the files, so a million domains never sit in memory as results
// (a whole result is ~7 KB: 1M of them would be ~7 GB):
//   1. read every file with the one saved-results reader (validated; a damaged line is reported
//      and skipped) and keep, per domain, only where its newest result is: the file, the result's
//      ordinal among that file's valid lines, and its startedAt in ms (NewestIndex below; 1M
//      domains: 68 MB of heap after a GC; `mxtls merge` of a synthetic 1.01M lines peaked at 322 MB RSS);
//   2. read the files again in the same order and write each result that is its domain's newest.
// The ordinal is stable between the passes because the reader skips the same lines both times
// (the files must not change during the merge). The output may name one of the inputs: the
// caller writes it atomically, so it replaces that file only at the end, after both passes.
//
// Compact files (schema 2, input/saved-form.ts): pass 1 reads only the domain lines; pass 2
// copies each line in its own form and each record line the first time its key is seen. A key is
// a content address (the same key is the same bytes in every shard), and every file holds a
// record before the lines that need it, so in the joined file too every reference resolves to a
// record above it. Records that only dropped duplicates needed are kept: harmless, and knowing
// which are unused would cost a third pass.
import { isRecord } from '../input/saved-form.js';
import { readResultSummaries, readSavedLines, type ResultsProblem } from '../input/read-results.js';
import { toJsonText } from './json.js';

export interface MergeDuplicate {
  domain: string;
  /** The file whose result is kept, and the one whose result is dropped. */
  kept: { path: string; startedAt: string };
  dropped: { path: string; startedAt: string };
}

export interface MergeHooks {
  /** A damaged line, skipped (pass 1 only, so each is reported once). */
  onProblem: (path: string, problem: ResultsProblem) => void;
  /** A domain with results in several places: the newest startedAt is kept; on a tie, the later one
   *  (later file, or later line of one file), as a run given later on the command line is a re-run. */
  onDuplicate: (duplicate: MergeDuplicate) => void;
  /** One line of the merged run, in the order of the files; the caller writes it. */
  write: (line: string) => void | Promise<void>;
}

export interface MergeSummary {
  domains: number;
  duplicates: number;
  problems: number;
}

/** Per domain, where its newest result is, in two growable typed arrays behind one Map of
 *  domain -> slot: ~70 bytes a domain (the key, the Map entry, 16 bytes of arrays), not an object each. */
class NewestIndex {
  private readonly slots = new Map<string, number>();
  /** file * 2^32 + ordinal: exact in a double for up to 2^20 files. */
  private where = new Float64Array(1024);
  private at = new Float64Array(1024);

  get size(): number {
    return this.slots.size;
  }

  get(domain: string): { where: number; at: number } | undefined {
    const slot = this.slots.get(domain);
    return slot === undefined ? undefined : { where: this.where[slot]!, at: this.at[slot]! };
  }

  set(domain: string, where: number, at: number): void {
    let slot = this.slots.get(domain);
    if (slot === undefined) {
      slot = this.slots.size;
      if (slot === this.where.length) {
        this.where = grow(this.where);
        this.at = grow(this.at);
      }
      this.slots.set(domain, slot);
    }
    this.where[slot] = where;
    this.at[slot] = at;
  }
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

const FILE = 2 ** 32;

export async function mergeRuns(paths: readonly string[], hooks: MergeHooks): Promise<MergeSummary> {
  const newest = new NewestIndex();
  let duplicates = 0;
  let problems = 0;
  for (const [file, path] of paths.entries()) {
    let ordinal = 0;
    const report = (p: ResultsProblem): void => {
      problems++;
      hooks.onProblem(path, p);
    };
    for await (const r of readResultSummaries(path, report)) {
      const where = file * FILE + ordinal++;
      const at = Date.parse(r.startedAt);
      const seen = newest.get(r.domain);
      if (seen) {
        duplicates++;
        const older = { path: paths[Math.floor(seen.where / FILE)]!, startedAt: new Date(seen.at).toISOString() };
        const here = { path, startedAt: r.startedAt };
        const keepHere = at >= seen.at;
        hooks.onDuplicate({ domain: r.domain, kept: keepHere ? here : older, dropped: keepHere ? older : here });
        if (!keepHere) continue;
      }
      newest.set(r.domain, where, at);
    }
  }
  const records = new Set<string>();
  for (const [file, path] of paths.entries()) {
    let ordinal = 0;
    for await (const saved of readSavedLines(path, () => undefined)) {
      if (isRecord(saved)) {
        if (records.has(saved.key)) continue;
        records.add(saved.key);
      } else if (newest.get(saved.domain)?.where !== file * FILE + ordinal++) continue;
      await hooks.write(`${toJsonText(saved)}\n`);
    }
  }
  return { domains: newest.size, duplicates, problems };
}
