// The `install` command's options, apart from the command itself so the CLI can declare them
// without loading what running it needs (see main.ts).
import type { Argv } from 'yargs';
import { DEFAULT_MAX_DOWNGRADES, parseDowngradeLimit } from '../install/downgrade-limit.js';
import { MAP_TYPES } from '../install/map-types.js';

export function installCommandOptions(y: Argv) {
  return y
    .positional('policy', { type: 'string', demandOption: true, describe: 'policy table written by mxtls (scan --format policy, or mxtls policy)' })
    .option('map', { type: 'string', demandOption: true, describe: 'the installed table\'s source file, e.g. /etc/postfix/tls_policy' })
    .option('map-type', { choices: MAP_TYPES, default: 'hash' as const, describe: 'Postfix table type, as in smtp_tls_policy_maps = TYPE:PATH (texthash needs no postmap)' })
    .option('reload', { type: 'boolean', default: false, describe: 'run "postfix reload" once the table is installed' })
    .option('max-downgrades', {
      type: 'string',
      default: DEFAULT_MAX_DOWNGRADES,
      describe: 'refuse when more than N lines, or P% of the installed lines, would get a lower level or disappear',
    })
    .option('force', { type: 'boolean', default: false, describe: 'install even past --max-downgrades' })
    .option('postfix-config', { type: 'string', describe: 'Postfix configuration directory, passed as -c DIR to postmap and postfix' })
    .check((argv) => {
      const limit = parseDowngradeLimit(argv['max-downgrades']);
      if (!limit.ok) throw new Error(`--max-downgrades: ${limit.reason}`);
      return true;
    });
}

export type InstallArgs = Awaited<ReturnType<ReturnType<typeof installCommandOptions>['parseAsync']>>;
