import type { Argv } from 'yargs';
import { formatResolverAddress, parseResolverAddress } from '../dns/resolver-address.js';
import { argumentEntries, readEntries, type InputProblem } from '../input/read-entries.js';
import { countBySeverity, diffNdjsonLine, previousLines, renderDiffText } from '../diff/index.js';
import { createRenderer } from '../output/index.js';
import { DiffSession } from './diff-session.js';
import { previousRunReader } from './previous-runs.js';
import { startHeapTrim } from './heap-trim.js';
import { carryOver } from '../policy/carry-over.js';
import { recommendPolicy } from '../policy/recommend.js';
import { readResults, type ResultsProblem } from '../input/read-results.js';
import type { DomainResult } from '../types.js';
import { onInterrupt } from './interrupt.js';
import { policyOptions } from './policy-options.js';
import { Progress } from './progress.js';
import { openSink } from './sink.js';
import { scanBatch, type BatchEntry } from '../scan/batch.js';
import { createScanDeps, DEFAULT_PACING, DOMAINS_PER_PROBE_SLOT, resolveScanOptions } from '../scan/scanner.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from '../version.js';

const FORMATS = ['table', 'json', 'ndjson', 'policy', 'per-site', 'diff'] as const;

export function scanCommandOptions(y: Argv) {
  return policyOptions(y)
    .positional('domains', { type: 'string', array: true, describe: 'domains or e-mail addresses' })
    .option('file', { alias: 'f', type: 'string', describe: 'read domains from FILE, one per line ("-" for stdin; # comments)' })
    .option('format', { choices: FORMATS, describe: 'output format (default: table on a terminal, else ndjson)' })
    .option('output', { alias: 'o', type: 'string', describe: 'write to FILE atomically instead of stdout' })
    .option('resolver', { type: 'string', array: true, describe: 'DNS resolver ADDR[:PORT] or [V6]:PORT (repeatable; default /etc/resolv.conf)' })
    .option('port', { type: 'number', default: 25, describe: 'SMTP port to connect to' })
    .option('https-port', { type: 'number', default: 443, describe: 'HTTPS port of MTA-STS policy hosts (test labs)' })
    .option('ehlo', { type: 'string', describe: 'name to send in EHLO (default: this host\'s name)' })
    .option('timeout', { type: 'number', describe: 'seconds for every step (connect, greeting, command, TLS); default 10/20/15/15' })
    .option('ca-file', { type: 'string', describe: 'trusted CAs in PEM, like smtp_tls_CAfile (default: the system bundle)' })
    .option('ca-path', { type: 'string', describe: 'directory of trusted CAs, like smtp_tls_CApath' })
    .option('concurrency', { alias: 'c', type: 'number', default: DEFAULT_PACING.concurrency, describe: 'SMTP probes in flight at once' })
    .option('per-ip', { type: 'number', default: DEFAULT_PACING.perIp, describe: 'SMTP probes in flight to one IP address' })
    .option('color', { type: 'boolean', describe: 'colour in tables (default: when stdout is a terminal)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress line on stderr' })
    .option('previous', { type: 'string', describe: 'NDJSON results of an earlier run: an inconclusive domain keeps its line from there' })
    .option('resume', { type: 'string', describe: 'NDJSON results of an interrupted run: keep them, scan only the rest' })
    .option('diff', { type: 'string', describe: 'compare with an earlier run\'s NDJSON results; exit 1 on a regression' })
    .option('expiry-warn', { type: 'number', default: 14, describe: 'with --diff: warn about certificates expiring within DAYS' })
    .check((argv) => {
      if (!argv.file && (!argv.domains || argv.domains.length === 0)) throw new Error('give domains as arguments or with --file');
      if (argv.port < 1 || argv.port > 65535 || !Number.isInteger(argv.port)) throw new Error('--port must be 1-65535');
      if (argv.timeout !== undefined && !(argv.timeout > 0)) throw new Error('--timeout must be a positive number of seconds');
      if (!(argv.concurrency >= 1)) throw new Error('--concurrency must be at least 1');
      if (!(argv['per-ip'] >= 1)) throw new Error('--per-ip must be at least 1');
      if (argv.format === 'diff' && !argv.diff) throw new Error('--format diff needs --diff PREVIOUS.ndjson');
      for (const r of argv.resolver ?? []) parseResolverAddress(r);
      return true;
    });
}

type ScanArgs = Awaited<ReturnType<ReturnType<typeof scanCommandOptions>['parseAsync']>>;

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
  const renderer = createRenderer(format === 'diff' ? 'ndjson' : format, {
    version: VERSION,
    generatedAt: new Date().toISOString(),
    resolvers: resolved.resolvers.map(formatResolverAddress),
    omitMay: args['omit-may'],
    options: {
      port: resolved.probe.port,
      ehlo: resolved.probe.ehloName,
      timeouts: resolved.probe.timeouts,
      trust: resolved.probe.trust.source,
      ...policyOptions,
    },
    color: args.color ?? (process.stdout.isTTY === true && !args.output),
  });
  const readRun = previousRunReader();
  // The lines first: the diff then consumes the same run's snapshots as it compares.
  const previous = args.previous ? previousLines(await readRun(args.previous)) : undefined;
  const diff = args.diff ? new DiffSession(await readRun(args.diff), args['expiry-warn']) : undefined;
  // --resume and --output may name the same file: that is safe, the output replaces it only
  // at the end (atomically), after it has been read.
  const resumed = args.resume ? await resumedDomains(args.resume) : undefined;
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
  const emit = async (result: DomainResult) => {
    const rec = carryOver(recommendPolicy(result, policyOptions), previous?.get(result.domain));
    if (rec.kind === 'unknown') unknown++;
    progress.domainDone(rec);
    const changes = diff?.domain(result, rec) ?? [];
    await sink.write(format === 'diff' ? changes.map(diffNdjsonLine).join('') : renderer.domain(result, rec));
  };

  try {
    await sink.write(renderer.begin());
    if (args.resume) {
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
    await sink.write(format === 'diff' ? gone.map(diffNdjsonLine).join('') : renderer.end());
    await sink.commit();
    if (diff && format !== 'diff') reportDiff(diff, Boolean(args.output));
  } catch (err) {
    progress.finish();
    await sink.abort();
    throw err;
  } finally {
    interrupt.dispose();
    stopHeapTrim?.();
  }
  if (interrupt.signal.aborted) return EXIT.interrupted;
  if (diff && countBySeverity(diff.all).regression > 0) return EXIT.regression;
  return unknown > 0 || problems > 0 ? EXIT.incomplete : EXIT.ok;
}

/** The readable summary goes where a cron mail shows it: stdout when the data went to a file,
 *  stderr when stdout carries the data. */
function reportDiff(diff: DiffSession, dataInFile: boolean): void {
  const text = renderDiffText(diff.all, { compared: diff.domainsCompared });
  (dataInFile ? process.stdout : process.stderr).write(text);
}

function warnResults(path: string): (p: ResultsProblem) => void {
  return (p) => process.stderr.write(`mxtls: ${path}:${p.line}: ${p.error} (skipped)\n`);
}

/** The domains an interrupted run finished: re-emitted from its file, not scanned again. */
async function resumedDomains(path: string): Promise<Set<string>> {
  const domains = new Set<string>();
  for await (const r of readResults(path, () => undefined)) domains.add(r.domain);
  return domains;
}
