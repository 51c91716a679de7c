import { savedDomainResults, type ResultsProblem } from '../input/read-results.js';
import { createRenderer } from '../output/index.js';
import { previousLines } from '../diff/index.js';
import { previousRunReader } from './previous-runs.js';
import { replayRun, runToEnd, type RunObserver, type RunSummary } from '../run/run.js';
import { VERSION } from '../version.js';
import { exitCodeOf } from './exit-codes.js';
import { assertReadable } from './readable.js';
import { internalErrorLine } from './internal-errors.js';
import type { PolicyArgs } from './policy-command-options.js';
import { openSink } from './sink.js';
import { postfixTarget } from './postfix-target.js';

/** Re-renders a policy table from saved results, under today's policy options: no network. */
export async function runPolicy(args: PolicyArgs): Promise<number> {
  await assertReadable([args.results, args.previous]);
  let problems = 0;
  const warn = (path: string) => (p: ResultsProblem) => {
    problems++;
    process.stderr.write(`mxtls: ${path}:${p.line}: ${p.error} (skipped)\n`);
  };
  const previous = args.previous ? previousLines(await previousRunReader()(args.previous)) : undefined;
  const postfix = args.format === 'policy' ? await postfixTarget(args.postfix, (text) => process.stderr.write(`mxtls: ${text}\n`)) : undefined;
  const renderer = createRenderer(args.format, { version: VERSION, generatedAt: new Date().toISOString(), omitMay: args['omit-may'], postfix });
  const metricsFile = args.metrics ? await (await import('./metrics-file.js')).openMetricsFile(args.metrics, { expiryWarnDays: args['expiry-warn'], diff: false }) : undefined;
  const sink = await openSink(args.output);
  const observer: RunObserver = {
    domainDone: ({ result, recommendation }) => {
      const bug = internalErrorLine(result);
      if (bug) process.stderr.write(bug);
      metricsFile?.metrics.domain(result, recommendation); // --metrics
      return sink.write(renderer.domain(result, recommendation));
    },
  };
  let summary: RunSummary;
  try {
    await sink.write(renderer.begin());
    summary = await runToEnd(replayRun(savedDomainResults(args.results, warn(args.results)), { policy: { partial: args.partial, mixed: args.mixed }, observers: [observer], ...(previous ? { previous } : {}) }));
    await sink.write(renderer.end());
    await sink.commit();
    await metricsFile?.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return exitCodeOf(summary, problems);
}
