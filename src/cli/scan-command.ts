// The `scan` command: options → a run (src/run/run.ts) → exit code. The run scans, recommends,
// carries lines over, diffs and resumes; this file only builds its observers (output, progress,
// stderr notes) from the options. What only some runs need (the diff, earlier results) is loaded
// only by those runs.
import { formatResolverAddress, parseResolverAddress } from '../dns/resolver-address.js';
import { argumentEntries, readEntries, type InputProblem } from '../input/read-entries.js';
import { inShard, parseShard } from '../input/shard.js';
import type { ResultsProblem } from '../input/read-results.js';
import { createRenderer } from '../output/index.js';
import type { DomainResult } from '../types.js';
import { internalErrorLine } from './internal-errors.js';
import { onInterrupt } from './interrupt.js';
import { Progress } from './progress.js';
import type { ScanArgs } from './scan-options.js';
import { openSink } from './sink.js';
import { postfixTarget } from './postfix-target.js';
import type { BatchEntry } from '../scan/batch.js';
import { runToEnd, scanRun, type RunObserver, type RunSummary } from '../run/run.js';
import { DOMAINS_PER_PROBE_SLOT, parseRetryDelays } from '../scan/pacing.js';
import { HashedStringSet } from '../util/hash-set.js';
import { createScanDeps, resolveScanOptions } from '../scan/scanner.js';
import { exitCodeOf } from './exit-codes.js';
import { assertReadable } from './readable.js';
import { VERSION } from '../version.js';

async function* allEntries(args: ScanArgs, onProblem: (p: InputProblem) => void): AsyncGenerator<BatchEntry> {
  yield* argumentEntries((args.domains ?? []).map(String), onProblem);
  if (args.file) yield* readEntries(args.file, onProblem);
}

/** The scan command: options → a run in the library, watched by the output and the progress line → exit code. */
export async function runScan(args: ScanArgs): Promise<number> {
  await assertReadable([args.file, args.diff, args.previous, args.resume]);
  const t = args.timeout;
  const resolved = await resolveScanOptions({
    resolvers: (args.resolver ?? []).map(parseResolverAddress),
    port: args.port,
    httpsPort: args['https-port'],
    ehloName: args.ehlo,
    ehloAfterTls: args['ehlo-after-tls'],
    timeouts: t === undefined ? {} : { connect: t, greeting: t, command: t, tls: t },
    dnsTimeout: t === undefined ? undefined : Math.min(t, 5),
    caFile: args['ca-file'],
    caPath: args['ca-path'],
  });
  const policyOptions = { partial: args.partial, mixed: args.mixed };
  const format = args.format ?? (process.stdout.isTTY && !args.output ? 'table' : 'ndjson');
  const postfix = format === 'policy' ? await postfixTarget(args.postfix, (text) => process.stderr.write(`mxtls: ${text}\n`)) : undefined;
  const renderer = createRenderer(format === 'diff' ? 'ndjson' : format, {
    version: VERSION,
    generatedAt: new Date().toISOString(),
    resolvers: resolved.resolvers.map(formatResolverAddress),
    omitMay: args['omit-may'],
    postfix,
    options: {
      port: resolved.probe.port,
      ehlo: resolved.probe.ehloName,
      timeouts: resolved.probe.timeouts,
      trust: resolved.probe.trust.source,
      ...policyOptions,
    },
    color: args.color ?? (process.stdout.isTTY === true && !args.output),
    detail: args.detail,
  });
  const diffing = args.previous || args.diff ? await loadDiff() : undefined;
  // The lines first: the diff then consumes the same run's snapshots as it compares.
  const previous = args.previous && diffing ? diffing.previousLines(await diffing.readRun(args.previous)) : undefined;
  const diff = args.diff && diffing ? new diffing.DiffSession(await diffing.readRun(args.diff), args['expiry-warn']) : undefined;
  // --resume and --output may name the same file: that is safe, the output replaces it only
  // at the end (atomically), after it has been read.
  const resume = args.resume ? await resumeFrom(args.resume) : undefined;
  // --metrics (issue 17): an observer of the run, written after the output (cli/metrics-file.ts).
  const metricsFile = args.metrics ? await (await import('./metrics-file.js')).openMetricsFile(args.metrics, { expiryWarnDays: args['expiry-warn'], diff: Boolean(diff) }) : undefined;
  const sink = await openSink(args.output);
  const progress = new Progress(process.stderr, process.stderr.isTTY === true && !args.quiet);
  const interrupt = onInterrupt((signal) => {
    progress.finish();
    process.stderr.write(`mxtls: ${signal}: finishing the domains in flight, then writing what is done (again to quit now)\n`);
  });

  let problems = 0;
  const onProblem = (p: InputProblem) => {
    problems++;
    progress.finish();
    process.stderr.write(`mxtls: ${p.source}:${p.line}: ${p.error}: ${JSON.stringify(p.input)} (skipped)\n`);
  };
  const observers: RunObserver[] = [
    {
      entryRead: () => progress.entryRead(),
      inputFinished: () => progress.inputFinished(),
      domainDone: ({ result, recommendation }) => {
        const bug = internalErrorLine(result);
        if (bug) {
          progress.finish();
          process.stderr.write(bug);
        }
        progress.domainDone(recommendation);
      },
    },
    {
      domainDone: ({ result, recommendation, changes }) =>
        sink.write(format === 'diff' && diff ? diff.ndjson(changes) : renderer.domain(result, recommendation)),
      gone: (change) => {
        if (format !== 'diff' || !diff) return;
        progress.finish();
        return sink.write(diff.ndjson([change]));
      },
      finished: async () => {
        progress.finish();
        if (format !== 'diff' || !diff) await sink.write(renderer.end());
        await sink.commit();
        if (diff && format !== 'diff') reportDiff(diff.summary(), Boolean(args.output));
      },
    },
  ];
  if (metricsFile) {
    observers.push({
      domainDone: ({ result, recommendation, changes }) => metricsFile.metrics.domain(result, recommendation, changes),
      gone: (change) => metricsFile.metrics.changes([change]),
      finished: async ({ interrupted }) => {
        await metricsFile.commit(interrupted);
      },
    });
  }

  let summary: RunSummary;
  const pacing = { concurrency: args.concurrency, perIp: args['per-ip'], perProvider: args['per-provider'], retryDelays: parseRetryDelays(args['retry-delays']) };
  const deps = createScanDeps(resolved, pacing, interrupt.signal);
  try {
    await sink.write(renderer.begin());
    // --shard (issue 16 item 6): only this machine's part of the list.
    const entries = inShard(allEntries(args, onProblem), args.shard === undefined ? undefined : parseShard(args.shard));
    const run = scanRun(entries, {
      deps,
      concurrency: args.concurrency * DOMAINS_PER_PROBE_SLOT,
      signal: interrupt.signal,
      policy: policyOptions,
      observers,
      // A list can be long: keep the heap near its live size (the run owns this process).
      trimHeap: args.file !== undefined,
      ...(previous ? { previous } : {}),
      ...(diff ? { diff } : {}),
      ...(resume ? { resume } : {}),
    });
    summary = await runToEnd(run);
  } catch (err) {
    progress.finish();
    await sink.abort();
    throw err;
  } finally {
    interrupt.dispose();
    deps.close();
  }
  return exitCodeOf(summary, problems);
}

/** The readable summary goes where a cron mail shows it: stdout when the data went to a file,
 *  stderr when stdout carries the data. */
function reportDiff(text: string, dataInFile: boolean): void {
  (dataInFile ? process.stdout : process.stderr).write(text);
}

/** What --diff and --previous need, loaded only by runs that use them. */
async function loadDiff() {
  const [diff, runs] = await Promise.all([import('../diff/index.js'), import('./previous-runs.js')]);
  return { previousLines: diff.previousLines, DiffSession: diff.DiffSession, readRun: runs.previousRunReader() };
}

/**
 * An interrupted run's file (--resume): its domains are not scanned again, and its results are
 * replayed (read a second time, as they stream) so the output holds every domain.
 */
async function resumeFrom(path: string): Promise<{ results: AsyncIterable<DomainResult>; domains: HashedStringSet }> {
  const { readResultSummaries, savedDomainResults } = await import('../input/read-results.js');
  // 8 bytes per domain: a million resumed domains as a Set of strings held 73 MB.
  const domains = new HashedStringSet();
  for await (const r of readResultSummaries(path, () => undefined)) domains.add(r.domain);
  const warn = (p: ResultsProblem) => process.stderr.write(`mxtls: ${path}:${p.line}: ${p.error} (skipped)\n`);
  return { results: savedDomainResults(path, warn), domains };
}

