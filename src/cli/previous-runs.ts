import { readPrevious, type PreviousRun } from '../diff/index.js';
import { READ_TRIM, startHeapTrim } from '../run/heap-trim.js';

/**
 * Reads each earlier run's file once, however many options name it: `--diff yesterday.ndjson
 * --previous yesterday.ndjson` is the usual nightly pair.
 */
export function previousRunReader(): (path: string) => Promise<PreviousRun> {
  const runs = new Map<string, Promise<PreviousRun>>();
  return (path) => {
    let run = runs.get(path);
    if (!run) {
      // A million-line file is mostly garbage once parsed (its snapshots keep ~150 bytes a domain):
      // the run's heap trim, with its cap on the young generation, keeps the process near the
      // snapshots' size while it reads, and closer than during a scan (READ_TRIM; issue 16 item 4).
      const stopTrim = startHeapTrim(READ_TRIM);
      run = readPrevious(path, { onBadLine: (b) => process.stderr.write(`mxtls: ${path}:${b.line}: ${b.error} (skipped)\n`) }).finally(stopTrim);
      runs.set(path, run);
    }
    return run;
  };
}
