import type { Argv } from 'yargs';
import type { Readable } from 'node:stream';
import { createMailLogAggregator, type DomainRow } from '../maillog/aggregate.js';
import { parseLogLine } from '../maillog/parse-line.js';
import { readLogLines } from '../maillog/read-log.js';
import { renderDomainJson, renderDomainList, renderDomainTable } from '../maillog/render.js';
import { EXIT } from './exit-codes.js';

/**
 * Register the command under this string. It declares no positional: yargs drops a lone "-"
 * from declared positionals (yargs/yargs-parser#381), and "-" is how stdin is named here, so the
 * logs are read from argv._ after the command name instead.
 */
export const DOMAINS_COMMAND = 'domains';

export function domainsCommand(y: Argv) {
  return y
    .usage('$0 domains LOG... [options]\n\nRecipient domains Postfix delivered to over SMTP, from its mail logs (plain or gzipped, "-" for stdin)')
    // The logs are positionals, so only unknown options are errors; file names stay strings.
    .strict(false)
    .strictOptions()
    .parserConfiguration({ 'parse-positional-numbers': false })
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text: one domain per line (or a table with --counts); json: the counts' })
    .option('counts', { type: 'boolean', default: false, describe: 'text: a table with messages, plaintext deliveries and relays' })
    .option('min-messages', { type: 'number', default: 1, describe: 'only domains with at least N delivered messages (0 adds domains only deferred or bounced)' })
    .option('plaintext-only', { type: 'boolean', default: false, describe: 'only domains that received mail without TLS' })
    .check((argv) => {
      if (logPaths(argv).length === 0) throw new Error('give one or more mail logs ("-" for stdin)');
      const n = argv['min-messages'];
      if (!Number.isInteger(n) || n < 0) throw new Error('--min-messages must be a whole number, 0 or more');
      return true;
    });
}

export type DomainsArgs = Pick<
  Awaited<ReturnType<ReturnType<typeof domainsCommand>['parseAsync']>>,
  '_' | 'format' | 'counts' | 'min-messages' | 'plaintext-only'
>;

/** The positionals after the command name. */
function logPaths(args: Pick<DomainsArgs, '_'>): string[] {
  return args._.slice(1).map(String);
}

/** Where the command writes and reads; tests pass their own. */
export interface DomainsIO {
  out(text: string): void;
  err(text: string): void;
  stdin?: Readable;
}

const processIO: DomainsIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Sent without TLS, as far as the log can tell: without TLS lines, only "Host offered STARTTLS" proves it. */
function knownPlaintext(row: DomainRow): number {
  return row.plaintext ?? row.starttlsOffered;
}

/** The domains command: mail logs → recipient domains delivered to over SMTP → exit code. */
export async function runDomains(args: DomainsArgs, io: DomainsIO = processIO): Promise<number> {
  const aggregator = createMailLogAggregator();
  try {
    for await (const line of readLogLines(logPaths(args), io.stdin)) {
      const event = parseLogLine(line);
      if (event) aggregator.add(event);
    }
  } catch (err) {
    io.err(`mxtls: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.usage;
  }

  const { tlsLogged, domains } = aggregator.summary();
  const rows = domains.filter((r) => r.messages >= args['min-messages'] && (!args['plaintext-only'] || knownPlaintext(r) > 0));
  const plaintextUnknown = !tlsLogged && domains.length > 0;
  if (plaintextUnknown && (args['plaintext-only'] || args.counts || args.format === 'json')) {
    io.err('mxtls: the log has no "TLS connection established" lines (smtp_tls_loglevel = 0?): plaintext deliveries cannot be told apart\n');
  }

  if (args.format === 'json') io.out(renderDomainJson(tlsLogged, rows));
  else io.out(args.counts ? renderDomainTable(rows) : renderDomainList(rows));
  // A plaintext list drawn from a log without TLS lines can be missing domains.
  return args['plaintext-only'] && plaintextUnknown ? EXIT.incomplete : EXIT.ok;
}
