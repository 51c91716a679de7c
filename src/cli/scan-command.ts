import type { Argv } from 'yargs';
import { formatResolverAddress, parseResolverAddress } from '../dns/resolver-address.js';
import { argumentEntries, readEntries, type InputProblem } from '../input/read-entries.js';
import { createRenderer, type OutputFormat } from '../output/index.js';
import { createAtomicWriter } from '../output/atomic-file.js';
import { recommendPolicy } from '../policy/recommend.js';
import { scanBatch, type BatchEntry } from '../scan/batch.js';
import { createScanDeps, DEFAULT_PACING, DOMAINS_PER_PROBE_SLOT, resolveScanOptions } from '../scan/scanner.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from '../version.js';

const FORMATS = ['table', 'json', 'ndjson', 'policy', 'per-site'] as const;

export function scanCommandOptions(y: Argv) {
  return y
    .positional('domains', { type: 'string', array: true, describe: 'domains or e-mail addresses' })
    .option('file', { alias: 'f', type: 'string', describe: 'read domains from FILE, one per line ("-" for stdin; # comments)' })
    .option('format', { choices: FORMATS, describe: 'output format (default: table on a terminal, else ndjson)' })
    .option('output', { alias: 'o', type: 'string', describe: 'write to FILE atomically instead of stdout' })
    .option('resolver', { type: 'string', array: true, describe: 'DNS resolver ADDR[:PORT] or [V6]:PORT (repeatable; default /etc/resolv.conf)' })
    .option('port', { type: 'number', default: 25, describe: 'SMTP port to connect to' })
    .option('ehlo', { type: 'string', describe: 'name to send in EHLO (default: this host\'s name)' })
    .option('timeout', { type: 'number', describe: 'seconds for every step (connect, greeting, command, TLS); default 10/20/15/15' })
    .option('ca-file', { type: 'string', describe: 'trusted CAs in PEM, like smtp_tls_CAfile (default: the system bundle)' })
    .option('ca-path', { type: 'string', describe: 'directory of trusted CAs, like smtp_tls_CApath' })
    .option('concurrency', { alias: 'c', type: 'number', default: DEFAULT_PACING.concurrency, describe: 'SMTP probes in flight at once' })
    .option('per-ip', { type: 'number', default: DEFAULT_PACING.perIp, describe: 'SMTP probes in flight to one IP address' })
    .option('partial', { choices: ['cap', 'observed'] as const, default: 'cap' as const, describe: 'unobserved MX hosts cap the line at may (cap), or are ignored (observed)' })
    .option('mixed', { choices: ['weakest', 'strongest'] as const, default: 'weakest' as const, describe: 'level of the weakest MX host, or of the strongest most-preferred one' })
    .option('omit-may', { type: 'boolean', default: false, describe: 'policy formats: comment out "may" lines (they repeat smtp_tls_security_level = may)' })
    .option('color', { type: 'boolean', describe: 'colour in tables (default: when stdout is a terminal)' })
    .check((argv) => {
      if (!argv.file && (!argv.domains || argv.domains.length === 0)) throw new Error('give domains as arguments or with --file');
      if (argv.port < 1 || argv.port > 65535 || !Number.isInteger(argv.port)) throw new Error('--port must be 1-65535');
      if (argv.timeout !== undefined && !(argv.timeout > 0)) throw new Error('--timeout must be a positive number of seconds');
      if (!(argv.concurrency >= 1)) throw new Error('--concurrency must be at least 1');
      if (!(argv['per-ip'] >= 1)) throw new Error('--per-ip must be at least 1');
      for (const r of argv.resolver ?? []) parseResolverAddress(r);
      return true;
    });
}

type ScanArgs = Awaited<ReturnType<ReturnType<typeof scanCommandOptions>['parseAsync']>>;

async function* allEntries(args: ScanArgs, onProblem: (p: InputProblem) => void): AsyncGenerator<BatchEntry> {
  yield* argumentEntries((args.domains ?? []).map(String), onProblem);
  if (args.file) yield* readEntries(args.file, onProblem);
}

/** The scan command: options → scan → renderer → exit code. */
export async function runScan(args: ScanArgs): Promise<number> {
  const t = args.timeout;
  const resolved = await resolveScanOptions({
    resolvers: (args.resolver ?? []).map(parseResolverAddress),
    port: args.port,
    ehloName: args.ehlo,
    timeouts: t === undefined ? {} : { connect: t, greeting: t, command: t, tls: t },
    dnsTimeout: t === undefined ? undefined : Math.min(t, 5),
    caFile: args['ca-file'],
    caPath: args['ca-path'],
  });
  const format: OutputFormat = args.format ?? (process.stdout.isTTY && !args.output ? 'table' : 'ndjson');
  const renderer = createRenderer(format, {
    version: VERSION,
    generatedAt: new Date().toISOString(),
    resolvers: resolved.resolvers.map(formatResolverAddress),
    omitMay: args['omit-may'],
    options: {
      port: resolved.probe.port,
      ehlo: resolved.probe.ehloName,
      timeouts: resolved.probe.timeouts,
      trust: resolved.probe.trust.source,
      partial: args.partial,
      mixed: args.mixed,
    },
    color: args.color ?? (process.stdout.isTTY === true && !args.output),
  });
  const out = args.output ? await createAtomicWriter(args.output) : undefined;
  const emit = (text: string) => {
    if (text === '') return;
    if (out) out.write(text);
    else process.stdout.write(text);
  };

  let problems = 0;
  const onProblem = (p: InputProblem) => {
    problems++;
    process.stderr.write(`mxtls: ${p.source}:${p.line}: ${p.error}: ${JSON.stringify(p.input)} (skipped)\n`);
  };

  let unknown = 0;
  try {
    emit(renderer.begin());
    const deps = createScanDeps(resolved, { concurrency: args.concurrency, perIp: args['per-ip'] });
    const batch = { concurrency: args.concurrency * DOMAINS_PER_PROBE_SLOT };
    for await (const result of scanBatch(allEntries(args, onProblem), deps, batch)) {
      const rec = recommendPolicy(result, { partial: args.partial, mixed: args.mixed });
      if (rec.kind === 'unknown') unknown++;
      emit(renderer.domain(result, rec));
    }
    emit(renderer.end());
    await out?.commit();
  } catch (err) {
    await out?.abort();
    throw err;
  }
  return unknown > 0 || problems > 0 ? EXIT.incomplete : EXIT.ok;
}
