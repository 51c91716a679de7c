// `mxtls install POLICY --map PATH`: the options in, installPolicyMap, its outcome out as words
// and an exit code (README, "Exit codes").
import { readFile } from 'node:fs/promises';
import { describeLimit, parseDowngradeLimit } from '../install/downgrade-limit.js';
import type { Downgrade } from '../install/downgrades.js';
import { installPolicyMap } from '../install/install-map.js';
import { sanitizeText } from '../output/sanitize.js';
import { describeFsError } from '../util/fs-error.js';
import { EXIT } from './exit-codes.js';
import type { InstallArgs } from './install-options.js';

/** Problems and lowered lines listed before "... and N more". */
const SHOWN = 10;

function more(total: number): string {
  return total > SHOWN ? `\n  ... and ${total - SHOWN} more` : '';
}

function downgradeLine(d: Downgrade): string {
  return `  ${sanitizeText(d.key, 80)}: ${sanitizeText(d.from, 40)} -> ${d.to === undefined ? '(no line)' : d.to}`;
}

export async function runInstall(args: InstallArgs): Promise<number> {
  const say = (text: string) => process.stderr.write(`mxtls: ${text}\n`);
  let text: string;
  try {
    text = await readFile(args.policy, 'utf8');
  } catch (error) {
    say(`cannot read ${args.policy}: ${describeFsError(error)}`);
    return EXIT.usage;
  }
  const limit = parseDowngradeLimit(args['max-downgrades']);
  if (!limit.ok) throw new Error(`--max-downgrades: ${limit.reason}`); // checked by the options already
  const table = `${args['map-type']}:${args.map}`;
  const outcome = await installPolicyMap(text, {
    map: args.map,
    type: args['map-type'],
    maxDowngrades: limit.limit,
    force: args.force,
    reload: args.reload,
    configDir: args['postfix-config'],
  });

  switch (outcome.status) {
    case 'invalid': {
      const lines = outcome.problems.slice(0, SHOWN).map((p) => `  ${args.policy}:${p.line}: ${p.error}`);
      say(`${args.policy} is not a policy table written by mxtls; ${table} is unchanged:\n${lines.join('\n')}${more(outcome.problems.length)}`);
      return EXIT.usage;
    }
    case 'refused': {
      const lowered = outcome.downgrades;
      say(
        `not installed: ${lowered.length} of the ${outcome.installedLines} lines of ${table} would get a lower level or disappear, ` +
          `more than --max-downgrades allows (${describeLimit(limit.limit)}); ${table} is unchanged. ` +
          'Many lines lowered at once usually mean a broken scan (no CA bundle, a resolver outage without --previous); ' +
          `check it, then install with --force if the change is right:\n${lowered.slice(0, SHOWN).map(downgradeLine).join('\n')}${more(lowered.length)}`,
      );
      return EXIT.downgradesRefused;
    }
    case 'failed':
      say(`not installed: ${outcome.step} failed: ${outcome.detail}; ${table} is unchanged`);
      return EXIT.installFailed;
    case 'installed': {
      const parts = [
        `installed ${outcome.lines} ${outcome.lines === 1 ? 'line' : 'lines'} as ${table}`,
        `${outcome.checked} read back with postmap -q`,
        `${outcome.downgrades.length} of ${outcome.installedLines} lowered${args.force && outcome.downgrades.length > 0 ? ' (--force)' : ''}`,
      ];
      if (outcome.backup !== undefined) parts.push(`previous table kept as ${args['map-type']}:${outcome.backup}`);
      if (outcome.reload?.ok) parts.push('postfix reloaded');
      process.stdout.write(`${parts.join('; ')}\n`);
      if (outcome.reload && !outcome.reload.ok) {
        say(`${table} is installed, but the reload failed: ${outcome.reload.detail}`);
        return EXIT.installFailed;
      }
      return EXIT.ok;
    }
  }
}
