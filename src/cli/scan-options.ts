// The `scan` command's options, apart from the command itself so the CLI can declare them
// without loading what running a scan needs (see main.ts).
import type { Argv } from 'yargs';
import { parseResolverAddress } from '../dns/resolver-address.js';
import { parseShard } from '../input/shard.js';
import { DETAILS } from '../output/ndjson-detail.js';
import { DEFAULT_PACING, parseRetryDelays } from '../scan/pacing.js';
import { EXPIRY_WARN_OPTION, METRICS_OPTION } from './metrics-options.js';
import { policyOptions } from './policy-options.js';

const FORMATS = ['table', 'json', 'ndjson', 'policy', 'per-site', 'diff'] as const;

export function scanCommandOptions(y: Argv) {
  return policyOptions(y)
    .positional('domains', { type: 'string', array: true, describe: 'domains or e-mail addresses' })
    .option('file', { alias: 'f', type: 'string', describe: 'read domains from FILE, one per line ("-" for stdin; # comments)' })
    .option('format', { choices: FORMATS, describe: 'output format (default: table on a terminal, else ndjson)' })
    .option('output', { alias: 'o', type: 'string', describe: 'write to FILE atomically instead of stdout' })
    // Issue 16 item 3: compact lines with each probe and certificate written once per file.
    .option('detail', { choices: DETAILS, default: 'compact' as const, describe: 'ndjson: compact lines, each probe and certificate once per file as a record, transcripts of failed probes only (compact), or every line whole with all its transcripts and certificates (full)' })
    // nargs 1: a repeatable option takes exactly one value per use, so `--resolver 127.0.0.53 example.com`
    // leaves the domain to the command.
    .option('resolver', { type: 'string', array: true, nargs: 1, describe: 'DNS resolver ADDR[:PORT] or [V6]:PORT (repeatable; default /etc/resolv.conf)' })
    .option('port', { type: 'number', default: 25, describe: 'SMTP port to connect to' })
    .option('https-port', { type: 'number', default: 443, describe: 'HTTPS port of MTA-STS policy hosts (test labs)' })
    .option('ehlo', { type: 'string', describe: 'name to send in EHLO (default: this host\'s name)' })
    .option('ehlo-after-tls', { type: 'boolean', default: false, describe: 'say EHLO again over TLS to record its keywords (one more round trip per probe)' })
    .option('timeout', { type: 'number', describe: 'seconds for every step (connect, greeting, command, TLS); default 5/15/15/15' })
    .option('ca-file', { type: 'string', describe: 'trusted CAs in PEM, like smtp_tls_CAfile (default: the system bundle)' })
    .option('ca-path', { type: 'string', describe: 'directory of trusted CAs, like smtp_tls_CApath' })
    .option('concurrency', { alias: 'c', type: 'number', default: DEFAULT_PACING.concurrency, describe: 'SMTP probes in flight at once' })
    .option('per-ip', { type: 'number', default: DEFAULT_PACING.perIp, describe: 'SMTP probes in flight to one IP address' })
    .option('per-provider', { type: 'number', default: DEFAULT_PACING.perProvider, describe: 'SMTP probes in flight to one MX provider (registered domain of the MX hosts)' })
    .option('retry-delays', { type: 'string', default: DEFAULT_PACING.retryDelays.join(','), describe: 'seconds before retrying an address that answered 4xx (421, greylisting), one retry per value; "none" to not retry' })
    .option('color', { type: 'boolean', describe: 'colour in tables (default: when stdout is a terminal)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress line on stderr' })
    .option('previous', { type: 'string', describe: 'NDJSON results of an earlier run: an inconclusive domain keeps its line from there' })
    .option('resume', { type: 'string', describe: 'NDJSON results of an interrupted run: keep them, scan only the rest' })
    .option('diff', { type: 'string', describe: 'compare with an earlier run\'s NDJSON results; exit 1 on a regression' })
    .option('expiry-warn', EXPIRY_WARN_OPTION)
    .option('metrics', METRICS_OPTION)
    // Issue 16 item 6: one list over N machines; `mxtls merge` joins their NDJSON (input/shard.ts).
    .option('shard', { type: 'string', describe: 'scan only shard K of N (K/N, 1 <= K <= N; a stable hash of each domain): one list over N machines' })
    .check((argv) => {
      if (!argv.file && (!argv.domains || argv.domains.length === 0)) throw new Error('give domains as arguments or with --file');
      if (argv.port < 1 || argv.port > 65535 || !Number.isInteger(argv.port)) throw new Error('--port must be 1-65535');
      if (argv.timeout !== undefined && !(argv.timeout > 0)) throw new Error('--timeout must be a positive number of seconds');
      if (!(argv.concurrency >= 1)) throw new Error('--concurrency must be at least 1');
      if (!(argv['per-ip'] >= 1)) throw new Error('--per-ip must be at least 1');
      if (!(argv['per-provider'] >= 1)) throw new Error('--per-provider must be at least 1');
      parseRetryDelays(argv['retry-delays']);
      if (argv.format === 'diff' && !argv.diff) throw new Error('--format diff needs --diff PREVIOUS.ndjson');
      for (const r of argv.resolver ?? []) parseResolverAddress(r);
      if (argv.shard !== undefined) parseShard(argv.shard);
      // A shard's --diff would call every other shard's domains gone: diff the merged run instead.
      if (argv.shard !== undefined && argv.diff) throw new Error('--diff with --shard would report the other shards\' domains as gone: merge the shards (mxtls merge), then mxtls report MERGED --diff PREVIOUS');
      return true;
    });
}

export type ScanArgs = Awaited<ReturnType<ReturnType<typeof scanCommandOptions>['parseAsync']>>;
