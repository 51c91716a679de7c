// The `domains` command's options, apart from the command itself so the CLI can declare them
// without loading the mail log readers (see main.ts).
import type { Argv } from 'yargs';

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
export function logPaths(args: Pick<DomainsArgs, '_'>): string[] {
  return args._.slice(1).map(String);
}

