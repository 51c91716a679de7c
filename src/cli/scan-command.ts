// The `scan` command: options → scan → renderer → exit code. Loaded only when `scan` runs; what
// only some runs need (the diff, reading earlier results) is loaded only by those runs.
import { formatResolverAddress, parseResolverAddress } from '../dns/resolver-address.js';
import { argumentEntries, readEntries, type InputProblem } from '../input/read-entries.js';
import type { ResultsProblem } from '../input/read-results.js';
import { createRenderer } from '../output/index.js';
import { startHeapTrim } from './heap-trim.js';
import { carryOver } from '../policy/carry-over.js';
import { recommendPolicy } from '../policy/recommend.js';
import type { DomainResult } from '../types.js';
import { InternalErrors } from './internal-errors.js';
import { onInterrupt } from './interrupt.js';
import { Progress } from './progress.js';
import type { ScanArgs } from './scan-options.js';
import { openSink } from './sink.js';
import { postfixTarget } from './postfix-target.js';
import { scanBatch, type BatchEntry } from '../scan/batch.js';
import { DOMAINS_PER_PROBE_SLOT } from '../scan/pacing.js';
import { createScanDeps, resolveScanOptions } from '../scan/scanner.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from '../version.js';

async function* allEntries(args: ScanArgs, onProblem: (p: InputProblem) => void, progress: Progress): AsyncGenerator<BatchEntry> {
  for (const entry of argumentEntries((args.domains ?? []).map(String), onProblem)) {
    progress.entryRead();
    yield entry;
  }
  if (args.file) {
    for await (const entry of readEntries(args.file, onProblem)) {
      progress.entryRead();
      yield entry;
    }
  }
  progress.inputFinished();
}

/** The scan command: options → scan → renderer → exit code. */
export async function runScan(args: ScanArgs): Promise<number> {
  const t = args.timeout;
  const resolved = await resolveScanOptions({
    resolvers: (args.resolver ?? []).map(parseResolverAddress),
    port: args.port,
    httpsPort: args['https-port'],
    ehloName: args.ehlo,
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
  });
  const diffing = args.previous || args.diff ? await loadDiff() : undefined;
  // The lines first: the diff then consumes the same run's snapshots as it compares.
  const previous = args.previous && diffing ? diffing.previousLines(await diffing.readRun(args.previous)) : undefined;
  const diff = args.diff && diffing ? new diffing.DiffSession(await diffing.readRun(args.diff), args['expiry-warn']) : undefined;
  // --resume and --output may name the same file: that is safe, the output replaces it only
  // at the end (atomically), after it has been read.
  const resumed = args.resume ? await resumedDomains(args.resume) : undefined;
  // --metrics (issue 17): fed every domain below, written after the output (cli/metrics-file.ts).
  const metricsFile = args.metrics ? await (await import('./metrics-file.js')).openMetricsFile(args.metrics, { expiryWarnDays: args['expiry-warn'], diff: Boolean(diff) }) : undefined;
  const sink = await openSink(args.output);
  const progress = new Progress(process.stderr, process.stderr.isTTY === true && !args.quiet);
  const stopHeapTrim = args.file ? startHeapTrim() : undefined;
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

  let unknown = 0;
  const internalErrors = new InternalErrors(process.stderr);
  const emit = async (result: DomainResult) => {
    if (result.status === 'internal-error') progress.finish();
    internalErrors.note(result);
    const rec = carryOver(recommendPolicy(result, policyOptions), previous?.get(result.domain));
    if (rec.kind === 'unknown') unknown++;
    progress.domainDone(rec);
    const changes = diff?.domain(result, rec) ?? [];
    metricsFile?.metrics.domain(result, rec, changes); // --metrics
    await sink.write(format === 'diff' && diff ? diff.ndjson(changes) : renderer.domain(result, rec));
  };

  try {
    await sink.write(renderer.begin());
    if (args.resume) {
      const { readResults } = await import('../input/read-results.js');
      for await (const { policy: _saved, ...result } of readResults(args.resume, warnResults(args.resume))) {
        progress.entryRead();
        await emit(result);
      }
    }
    const deps = createScanDeps(resolved, { concurrency: args.concurrency, perIp: args['per-ip'] });
    const batch = {
      concurrency: args.concurrency * DOMAINS_PER_PROBE_SLOT,
      signal: interrupt.signal,
      ...(resumed ? { skip: resumed } : {}),
    };
    for await (const result of scanBatch(allEntries(args, onProblem, progress), deps, batch)) await emit(result);
    progress.finish();
    // An interrupted run did not see every domain: none of the rest is "gone".
    const gone = diff && !interrupt.signal.aborted ? diff.finish() : [];
    metricsFile?.metrics.changes(gone); // --metrics
    await sink.write(format === 'diff' && diff ? diff.ndjson(gone) : renderer.end());
    await sink.commit();
    await metricsFile?.commit(interrupt.signal.aborted); // --metrics
    if (diff && format !== 'diff') reportDiff(diff.summary(), Boolean(args.output));
  } catch (err) {
    progress.finish();
    await sink.abort();
    throw err;
  } finally {
    interrupt.dispose();
    stopHeapTrim?.();
  }
  if (interrupt.signal.aborted) return EXIT.interrupted;
  if (diff?.hasRegression()) return EXIT.regression;
  if (internalErrors.count > 0) return EXIT.internalError;
  return unknown > 0 || problems > 0 ? EXIT.incomplete : EXIT.ok;
}

/** The readable summary goes where a cron mail shows it: stdout when the data went to a file,
 *  stderr when stdout carries the data. */
function reportDiff(text: string, dataInFile: boolean): void {
  (dataInFile ? process.stdout : process.stderr).write(text);
}

/** What --diff and --previous need, loaded only by runs that use them. */
async function loadDiff() {
  const [diff, session, runs] = await Promise.all([import('../diff/index.js'), import('./diff-session.js'), import('./previous-runs.js')]);
  return { previousLines: diff.previousLines, DiffSession: session.DiffSession, readRun: runs.previousRunReader() };
}

function warnResults(path: string): (p: ResultsProblem) => void {
  return (p) => process.stderr.write(`mxtls: ${path}:${p.line}: ${p.error} (skipped)\n`);
}

/** The domains an interrupted run finished: re-emitted from its file, not scanned again. */
async function resumedDomains(path: string): Promise<Set<string>> {
  const { readResults } = await import('../input/read-results.js');
  const domains = new Set<string>();
  for await (const r of readResults(path, () => undefined)) domains.add(r.domain);
  return domains;
}
