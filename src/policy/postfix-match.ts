// MTA-STS mx patterns (RFC 8461 §4.1) written as the `match=` attribute of a Postfix `secure`
// policy line. Pure.
import { normaliseName } from '../name/dns-name.js';
import { isHostName } from '../name/host-name.js';
import { isValidAttribute } from './postfix-syntax.js';

export type PostfixMatch =
  | {
      ok: true;
      /** The value for `match=`: patterns joined by ":", "*.x" written ".x". */
      match: string;
      /** True when a wildcard was written as ".x": Postfix then also accepts deeper names. */
      widened: boolean;
      /** The wildcard patterns that were widened, as published. */
      wildcards: string[];
    }
  /** Why not: a pattern that is no host name or no valid attribute, no patterns at all, or a
   *  joined value the policy-file validator refuses. */
  | { ok: false; cause: 'pattern'; pattern: string }
  | { ok: false; cause: 'empty' | 'attribute' };

/**
 * The `match=` value for `secure` from MTA-STS mx patterns. Postfix's ".example.com" matches
 * any depth below example.com while MTA-STS's "*.example.com" matches one label: the caller
 * says so in the comment when `widened`. Every pattern must pass the policy-file validator.
 */
export function toPostfixMatch(patterns: readonly string[]): PostfixMatch {
  const out: string[] = [];
  const wildcards: string[] = [];
  for (const raw of patterns) {
    const pattern = normaliseName(raw);
    const postfix = pattern.startsWith('*.') ? pattern.slice(1) : pattern;
    const host = pattern.startsWith('*.') ? pattern.slice(2) : pattern;
    // A host name only: never a keyword such as "nexthop", never a bare ".x" pattern.
    if (!isHostName(host) || !isValidAttribute('match', postfix)) {
      return { ok: false, cause: 'pattern', pattern: raw };
    }
    if (out.includes(postfix)) continue;
    out.push(postfix);
    if (pattern.startsWith('*.')) wildcards.push(pattern);
  }
  if (out.length === 0) return { ok: false, cause: 'empty' };
  const match = out.join(':');
  if (!isValidAttribute('match', match)) return { ok: false, cause: 'attribute' };
  return { ok: true, match, widened: wildcards.length > 0, wildcards };
}
