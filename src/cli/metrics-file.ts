// --metrics: a command's run metrics (src/metrics/) written to a file at the end, replaced
// atomically (output/atomic-file.ts) because node_exporter's textfile collector may read it at
// any moment. The temporary file is hidden and ends in .tmp, so the collector, which reads
// only *.prom, never sees half a file. A failed command leaves the previous file in place: its
// mxtls_run_start_time_seconds then shows that the nightly job did not finish.

import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../output/atomic-file.js';
import { RunMetrics, type RunMetricsOptions } from '../metrics/run-metrics.js';

export interface MetricsFile {
  /** Feed it every domain: RunMetrics.domain, and RunMetrics.changes for the gone ones. */
  readonly metrics: RunMetrics;
  /** Render and replace the file; `interrupted` marks a run that covers only part of its domains. */
  commit(interrupted?: boolean): Promise<void>;
}

/** Starts the run's metrics; fails now, before any scanning, when the file's directory cannot
 *  be written (a typo found the next morning would cost a night's metrics). */
export async function openMetricsFile(path: string, options: RunMetricsOptions): Promise<MetricsFile> {
  const dir = dirname(resolve(path));
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`--metrics ${path}: cannot write in ${dir} (${code === 'ENOENT' ? 'no such directory' : code})`);
  }
  const started = performance.now();
  const metrics = new RunMetrics(new Date(), options);
  return {
    metrics,
    commit: (interrupted = false) => writeFileAtomic(path, metrics.render({ durationMs: performance.now() - started, interrupted })),
  };
}
