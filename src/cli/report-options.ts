// The `report` command's options, apart from the command itself so the CLI can declare them
// without loading what running it needs (see main.ts).
import type { Argv } from 'yargs';
import { policyOptions } from './policy-options.js';

export function reportCommandOptions(y: Argv) {
  return policyOptions(
    y
      .positional('results', { type: 'string', demandOption: true, describe: 'NDJSON results of a scan (--format ndjson)' })
      .option('output', { alias: 'o', type: 'string', describe: 'write the HTML page to FILE atomically instead of stdout' })
      .option('diff', { type: 'string', describe: 'NDJSON results of the previous run: show what changed, regressions first; exit 1 on a regression' })
      .option('previous', { type: 'string', describe: 'NDJSON results of an earlier run: an inconclusive domain keeps its line from there' })
      .option('expiry-warn', { type: 'number', default: 14, describe: 'list certificates expiring within DAYS' })
      .check((argv) => {
        if (!(argv['expiry-warn'] >= 0)) throw new Error('--expiry-warn must be a number of days, 0 or more');
        return true;
      }),
  );
}

export type ReportArgs = Awaited<ReturnType<ReturnType<typeof reportCommandOptions>['parseAsync']>>;
