// The `audit` command's options, apart from the command so the CLI can declare them without
// loading the mail log readers (see main.ts). Logs are positionals read from argv._, as for
// `domains` (domains-options.ts says why: yargs drops a lone "-").
import type { Argv } from 'yargs';
import { logPaths } from './domains-options.js';

export const AUDIT_COMMAND = 'audit';

export function auditCommand(y: Argv) {
  return y
    .usage('$0 audit LOG... [--policy FILE] [options]\n\nThe mail log\'s verdict on the TLS policy: the TLS each recipient domain actually got, deliveries TLS deferred, and where the policy file and the deliveries disagree')
    .strict(false)
    .strictOptions()
    .parserConfiguration({ 'parse-positional-numbers': false })
    .option('policy', { type: 'string', requiresArg: true, describe: 'the smtp_tls_policy_maps source file to hold against the log (the file postmap reads)' })
    .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'table: columns and findings for a person; json: every count' })
    .check((argv) => {
      if (logPaths(argv).length === 0) throw new Error('give one or more mail logs ("-" for stdin)');
      if (Array.isArray(argv.policy)) throw new Error('give --policy once');
      return true;
    });
}

export type AuditArgs = Pick<Awaited<ReturnType<ReturnType<typeof auditCommand>['parseAsync']>>, '_' | 'policy' | 'format'>;
