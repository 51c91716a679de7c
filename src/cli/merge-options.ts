// The `merge` command's options, apart from the command itself so the CLI can declare them
// without loading what running it needs (see main.ts).
import type { Argv } from 'yargs';

export const MERGE_COMMAND = 'merge <runs..>';

export function mergeCommand(y: Argv) {
  return y
    .positional('runs', { type: 'string', array: true, demandOption: true, describe: 'NDJSON results of scans (e.g. one per --shard)' })
    .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'write the merged NDJSON to FILE (atomically)' });
}

export type MergeArgs = Awaited<ReturnType<ReturnType<typeof mergeCommand>['parseAsync']>>;
