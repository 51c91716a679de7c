import { readResults, type ResultsProblem } from '../input/read-results.js';
import { createRenderer } from '../output/index.js';
import { previousLines } from '../diff/index.js';
import { previousRunReader } from './previous-runs.js';
import { carryOver } from '../policy/carry-over.js';
import { recommendPolicy } from '../policy/recommend.js';
import { VERSION } from '../version.js';
import { EXIT } from './exit-codes.js';
import { InternalErrors } from './internal-errors.js';
import type { PolicyArgs } from './policy-command-options.js';
import { openSink } from './sink.js';
import { postfixTarget } from './postfix-target.js';

/** Re-renders a policy table from saved results, under today's policy options: no network. */
export async function runPolicy(args: PolicyArgs): Promise<number> {
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
  let unknown = 0;
  const internalErrors = new InternalErrors(process.stderr);
  try {
    await sink.write(renderer.begin());
    for await (const { policy: _saved, ...result } of readResults(args.results, warn(args.results))) {
      internalErrors.note(result);
      const rec = carryOver(recommendPolicy(result, { partial: args.partial, mixed: args.mixed }), previous?.get(result.domain));
      if (rec.kind === 'unknown') unknown++;
      metricsFile?.metrics.domain(result, rec);
      await sink.write(renderer.domain(result, rec));
    }
    await sink.write(renderer.end());
    await sink.commit();
    await metricsFile?.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  if (internalErrors.count > 0) return EXIT.internalError;
  return unknown > 0 || problems > 0 ? EXIT.incomplete : EXIT.ok;
}
