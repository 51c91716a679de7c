import { readPrevious, type PreviousRun } from '../diff/index.js';

/**
 * Reads each earlier run's file once, however many options name it: `--diff yesterday.ndjson
 * --previous yesterday.ndjson` is the usual nightly pair.
 */
export function previousRunReader(): (path: string) => Promise<PreviousRun> {
  const runs = new Map<string, Promise<PreviousRun>>();
  return (path) => {
    let run = runs.get(path);
    if (!run) {
      run = readPrevious(path, { onBadLine: (b) => process.stderr.write(`mxtls: ${path}:${b.line}: ${b.error} (skipped)\n`) });
      runs.set(path, run);
    }
    return run;
  };
}
