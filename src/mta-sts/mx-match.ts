// Which MX host names an MTA-STS policy allows (RFC 8461 §4.1). Pure. Writing the patterns as
// Postfix's `match=` is policy's job: policy/postfix-match.ts.
import { normaliseName } from '../name/dns-name.js';

/**
 * Does `host` match `pattern`? Case-insensitive, trailing dots ignored. "*.example.com"
 * matches exactly one extra leftmost label: "mx.example.com", not "example.com" and not
 * "a.b.example.com".
 */
export function matchesMxPattern(host: string, pattern: string): boolean {
  const name = normaliseName(host);
  const pat = normaliseName(pattern);
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
