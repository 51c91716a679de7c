// Which lines of the installed policy table a new one would lower. Levels are ranked in the one
// order of POLICY_LEVELS (src/types.ts: may < encrypt < verify < secure < dane < dane-only), as
// the diff ranks them, so `install` and `scan --diff` agree on what "lower" means. A line that is gone
// counts as lowered: the domain falls back to smtp_tls_security_level (usually may).
import { isPolicyLevel } from '../output/map-file.js';
import { keyId, type PolicyEntry } from './policy-source.js';
import { levelRank } from '../types.js';

export interface Downgrade {
  key: string;
  from: string;
  /** Undefined when the new table has no line for the key. */
  to?: string;
}

export function findDowngrades(installed: readonly PolicyEntry[], next: readonly PolicyEntry[]): Downgrade[] {
  const byKey = new Map(next.map((entry) => [keyId(entry.key), entry]));
  const out: Downgrade[] = [];
  for (const old of installed) {
    const now = byKey.get(keyId(old.key));
    if (now === undefined) {
      out.push({ key: old.key, from: old.level });
      continue;
    }
    // A level mxtls does not know (a hand-written line) cannot be ranked: not counted.
    if (!isPolicyLevel(old.level) || !isPolicyLevel(now.level)) continue;
    if (levelRank(now.level) < levelRank(old.level)) out.push({ key: old.key, from: old.level, to: now.level });
  }
  return out;
}
