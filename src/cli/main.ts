// The CLI: yargs declares every command's options, and a command's own code is loaded only
// when it runs (startup counts: `mxtls scan` for one domain need not load the mail log readers,
// the policy command or the diff).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { describeFsError } from '../util/fs-error.js';
import { EXIT } from './exit-codes.js';
import { AUDIT_COMMAND, auditCommand } from './audit-options.js';
import { DOMAINS_COMMAND, domainsCommand } from './domains-options.js';
import { installCommandOptions } from './install-options.js';
import { MERGE_COMMAND, mergeCommand } from './merge-options.js';
import { policyCommandOptions } from './policy-command-options.js';
import { reportCommandOptions } from './report-options.js';
import { scanCommandOptions } from './scan-options.js';
import { VERSION } from '../version.js';

const EPILOGUE = `Exit codes:
  ${EXIT.ok}  every domain got a policy line or a definite "accepts no mail"
  ${EXIT.regression}  --diff found a regression (a level down, STARTTLS lost, TLS newly failing, ...);
     audit: the TLS policy deferred or bounced mail
  ${EXIT.usage}  bad options, or an input file or output file that cannot be used
  ${EXIT.incomplete}  finished, but some domains are unknown (DNS failure, no MX address answered)
     or some input lines were invalid and skipped
  ${EXIT.internalError}  finished, but mxtls hit an internal error (a bug) on some domains: stderr names
     them, their JSON results carry the error and its stack; no line was written for them
  ${EXIT.downgradesRefused}  install: the new table would lower more lines than --max-downgrades allows; nothing changed
  ${EXIT.installFailed}  install: a step failed (postmap, read-back, rename) and nothing changed, or --reload failed
  ${EXIT.interrupted}  interrupted (SIGINT/SIGTERM); the domains finished so far were written`;

async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('mxtls')
    .usage('$0 <command> [options]\n\nCan I send to these domains over TLS, and how strictly?')
    .command(
      'scan [domains..]',
      'scan domains\' MX hosts over STARTTLS and recommend a Postfix TLS policy line for each',
      (y) =>
        scanCommandOptions(y)
          .example('$0 scan example.com', 'detailed table for one domain')
          .example('$0 scan -f domains.txt --format policy --output tls_policy', 'write a Postfix smtp_tls_policy_maps table')
          .example('$0 scan -f - --format ndjson < domains.txt', 'one JSON result per line, as each domain finishes')
          .example('$0 scan --resolver 127.0.0.1:5353 --port 2525 --ca-file ca.pem a.test', 'scan a test lab')
          .epilogue(EPILOGUE),
      async (argv) => {
        const { runScan } = await import('./scan-command.js');
        process.exitCode = await runScan(argv);
      },
    )
    .command(
      'policy <results>',
      'write the Postfix policy table from saved NDJSON results, without scanning again',
      (y) =>
        policyCommandOptions(y)
          .example('$0 policy last-night.ndjson --output tls_policy', 'the policy file of a saved run')
          .example('$0 policy today.ndjson --previous yesterday.ndjson --omit-may', 'keep yesterday\'s line where today is unknown'),
      async (argv) => {
        const { runPolicy } = await import('./policy-command.js');
        process.exitCode = await runPolicy(argv);
      },
    )
    .command(
      'report <results>',
      'write a self-contained HTML report (one file, fit to mail) from saved NDJSON results',
      (y) =>
        reportCommandOptions(y)
          .example('$0 report today.ndjson --diff yesterday.ndjson -o report.html', 'the morning report of a nightly run'),
      async (argv) => {
        const { runReport } = await import('./report-command.js');
        process.exitCode = await runReport(argv);
      },
    )
    .command(
      DOMAINS_COMMAND,
      'recipient domains Postfix delivered to over SMTP, from its mail logs (LOG..., "-" for stdin)',
      (y) => domainsCommand(y).example('$0 domains /var/log/mail.log* | $0 scan -f -', 'scan where mail actually goes'),
      async (argv) => {
        const { runDomains } = await import('./domains-command.js');
        process.exitCode = await runDomains(argv);
      },
    )
    .command(
      'install <policy>',
      'install a policy table as smtp_tls_policy_maps: postmap, read back, back up, refuse mass downgrades',
      (y) =>
        installCommandOptions(y)
          .example('$0 install tls_policy.new --map /etc/postfix/tls_policy --reload', 'the nightly install')
          .epilogue(EPILOGUE),
      async (argv) => {
        const { runInstall } = await import('./install-command.js');
        process.exitCode = await runInstall(argv);
      },
    )
    .command(
      AUDIT_COMMAND,
      'the mail log\'s verdict on the TLS policy: TLS used per domain, TLS deferrals, policy lines that defer mail (LOG..., "-" for stdin)',
      (y) => auditCommand(y).example('$0 audit /var/log/mail.log --policy /etc/postfix/tls_policy', 'exit 1 when the policy deferred mail'),
      async (argv) => {
        const { runAudit } = await import('./audit-command.js');
        process.exitCode = await runAudit(argv);
      },
    )
    .command(
      MERGE_COMMAND,
      'join the NDJSON results of several scans (e.g. one per --shard K/N) into one run; a domain in several keeps its newest result',
      (y) => mergeCommand(y).example('$0 merge shard-*.ndjson -o tonight.ndjson', 'the shards of one night\'s run, for policy, report and --diff'),
      async (argv) => {
        const { runMerge } = await import('./merge-command.js');
        process.exitCode = await runMerge(argv);
      },
    )
    .demandCommand(1, 'name a command: scan, policy, report, merge, install, domains or audit')
    .strict()
    .epilogue(EPILOGUE)
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err, y) => {
      if (err) throw err;
      process.stderr.write(`${y.help()}\n\nmxtls: ${msg}\n`);
      process.exit(EXIT.usage);
    })
    .parseAsync();
}

main().catch((err: unknown) => {
  // A file the user named: say which and why in words, not Node's "ENOENT: ..., open '...'".
  const path = (err as NodeJS.ErrnoException | undefined)?.path;
  const text = path !== undefined ? `${path}: ${describeFsError(err)}` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`mxtls: ${text}\n`);
  process.exit(EXIT.usage);
});
