// The `policy` command's options, apart from the command itself so the CLI can declare them
// without loading what running it needs (see main.ts).
import type { Argv } from 'yargs';
import { EXPIRY_WARN_OPTION, METRICS_OPTION } from './metrics-options.js';
import { policyOptions } from './policy-options.js';

export function policyCommandOptions(y: Argv) {
  return policyOptions(
    y
      .positional('results', { type: 'string', demandOption: true, describe: 'NDJSON results of a scan (--format ndjson)' })
      .option('format', { choices: ['policy', 'per-site'] as const, default: 'policy' as const, describe: 'table to write' })
      .option('output', { alias: 'o', type: 'string', describe: 'write to FILE atomically instead of stdout' })
      .option('previous', { type: 'string', describe: 'NDJSON results of an earlier run: an inconclusive domain keeps its line from there' })
      .option('metrics', METRICS_OPTION)
      .option('expiry-warn', { ...EXPIRY_WARN_OPTION, describe: 'with --metrics: count certificates expiring within DAYS' }),
  );
}

export type PolicyArgs = Awaited<ReturnType<ReturnType<typeof policyCommandOptions>['parseAsync']>>;
