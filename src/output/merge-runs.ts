// `mxtls merge` (issue 16 item 6): the NDJSON of several shards (or of several runs over parts
// of one list) joined into one run that --diff, --previous, `policy` and `report` read.
//
// Streaming, in two passes over the files, so a million domains never sit in memory as results
// (a result is ~7 KB: 1M of them would be ~7 GB):
//   1. read every file with the one saved-results reader (validated; a damaged line is reported
//      and skipped) and keep, per domain, only where its newest result is: the file, the result's
//      ordinal among that file's valid lines, and its startedAt (a Map of domain -> 3 numbers);
//   2. read the files again in the same order and write each result that is its domain's newest.
// The ordinal is stable between the passes because the reader skips the same lines both times
// (the files must not change during the merge). The output may name one of the inputs: the
// caller writes it atomically, so it replaces that file only at the end, after both passes.
import { readResults, type ResultsProblem, type SavedResult } from '../input/read-results.js';
import { ndjsonLine } from './ndjson.js';

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

interface Newest {
  file: number;
  ordinal: number;
  at: number;
  startedAt: string;
}

export async function mergeRuns(paths: readonly string[], hooks: MergeHooks): Promise<MergeSummary> {
  const newest = new Map<string, Newest>();
  let duplicates = 0;
  let problems = 0;
  for (const [file, path] of paths.entries()) {
    let ordinal = 0;
    const report = (p: ResultsProblem): void => {
      problems++;
      hooks.onProblem(path, p);
    };
    for await (const r of readResults(path, report)) {
      const here: Newest = { file, ordinal: ordinal++, at: Date.parse(r.startedAt), startedAt: r.startedAt };
      const seen = newest.get(r.domain);
      if (seen) {
        duplicates++;
        const keep = here.at >= seen.at ? here : seen;
        const drop = keep === here ? seen : here;
        hooks.onDuplicate({ domain: r.domain, kept: { path: paths[keep.file]!, startedAt: keep.startedAt }, dropped: { path: paths[drop.file]!, startedAt: drop.startedAt } });
        if (keep === seen) continue;
      }
      newest.set(r.domain, here);
    }
  }
  for (const [file, path] of paths.entries()) {
    let ordinal = 0;
    for await (const r of readResults(path, () => undefined)) {
      const keep = newest.get(r.domain);
      if (keep?.file === file && keep.ordinal === ordinal) await hooks.write(line(r));
      ordinal++;
    }
  }
  return { domains: newest.size, duplicates, problems };
}

function line({ policy, ...result }: SavedResult): string {
  return ndjsonLine(result, policy);
}
