// Which MX host names an MTA-STS policy allows (RFC 8461 §4.1), and the same patterns written
// as the `match=` attribute of a Postfix `secure` policy line. Pure.
import { isHostName } from '../input/normalize.js';
import { isValidAttribute } from '../policy/postfix-syntax.js';

function canonical(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * Does `host` match `pattern`? Case-insensitive, trailing dots ignored. "*.example.com"
 * matches exactly one extra leftmost label: "mx.example.com", not "example.com" and not
 * "a.b.example.com".
 */
export function matchesMxPattern(host: string, pattern: string): boolean {
  const name = canonical(host);
  const pat = canonical(pattern);
  if (name === '' || pat === '') return false;
  if (!pat.startsWith('*.')) return name === pat;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot + 1) === pat.slice(2);
}

/** The first pattern that covers `host`, or undefined. */
export function findMxPattern(host: string, patterns: readonly string[]): string | undefined {
  return patterns.find((pattern) => matchesMxPattern(host, pattern));
}

/** Split MX host names into those the policy allows and those it does not. */
export function checkMxHosts(
  hosts: readonly string[],
  patterns: readonly string[],
): { matched: Array<{ host: string; pattern: string }>; unmatched: string[] } {
  const matched: Array<{ host: string; pattern: string }> = [];
  const unmatched: string[] = [];
  for (const host of hosts) {
    const pattern = findMxPattern(host, patterns);
    if (pattern === undefined) unmatched.push(host);
    else matched.push({ host, pattern });
  }
  return { matched, unmatched };
}

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
  | { ok: false; reason: string };

/**
 * The `match=` value for `secure` from MTA-STS mx patterns. Postfix's ".example.com" matches
 * any depth below example.com while MTA-STS's "*.example.com" matches one label: the caller
 * says so in the comment when `widened`. Every pattern must pass the policy-file validator.
 */
export function toPostfixMatch(patterns: readonly string[]): PostfixMatch {
  const out: string[] = [];
  const wildcards: string[] = [];
  for (const raw of patterns) {
    const pattern = canonical(raw);
    const postfix = pattern.startsWith('*.') ? pattern.slice(1) : pattern;
    const host = pattern.startsWith('*.') ? pattern.slice(2) : pattern;
    // A host name only: never a keyword such as "nexthop", never a bare ".x" pattern.
    if (!isHostName(host) || !isValidAttribute('match', postfix)) {
      return { ok: false, reason: `mx pattern ${JSON.stringify(raw)} cannot be written as a Postfix match pattern` };
    }
    if (out.includes(postfix)) continue;
    out.push(postfix);
    if (pattern.startsWith('*.')) wildcards.push(pattern);
  }
  if (out.length === 0) return { ok: false, reason: 'no mx patterns' };
  const match = out.join(':');
  if (!isValidAttribute('match', match)) return { ok: false, reason: 'patterns do not form a valid match attribute' };
  return { ok: true, match, widened: wildcards.length > 0, wildcards };
}
