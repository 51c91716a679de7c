// What may stand in a Postfix smtp_tls_policy_maps table: keys and attributes. The policy
// layer builds lines (a `match=` list from MTA-STS patterns) and the writers check every key
// and attribute against the same rules, so nothing from the network can add a line.
import { isHostName, parseNexthopKey } from '../input/normalize.js';

/**
 * A key smtp_tls_policy_maps can hold: a host name, or the explicit next-hop form `[host]` /
 * `[host]:port` with a host name or IPv4 address (the port 1-65535 without leading zeros).
 */
export function isValidPolicyKey(key: string): boolean {
  return key.startsWith('[') ? parseNexthopKey(key).ok : isHostName(key);
}

/** The names Postfix's `match=` attribute understands besides host names. */
const MATCH_KEYWORDS = new Set(['hostname', 'nexthop', 'dot-nexthop']);

/** One `match=` pattern: a keyword, a host name, or `.host` (any subdomain of host). */
function isValidMatchPattern(pattern: string): boolean {
  if (MATCH_KEYWORDS.has(pattern)) return true;
  return isHostName(pattern.startsWith('.') ? pattern.slice(1) : pattern);
}

/**
 * An attribute of a policy line (`name=value`). `match` is checked pattern by pattern
 * (patterns are separated by colons); other values (protocols=>=TLSv1.2, ciphers=high,
 * exclude=...) must be a single token of a narrow character set, so no white space, no
 * comment sign and no line break can reach the table.
 */
export function isValidAttribute(name: string, value: string): boolean {
  if (!/^[a-z][a-z_]{0,31}$/.test(name)) return false;
  if (name === 'match') return value.split(':').every(isValidMatchPattern);
  return /^[A-Za-z0-9._:!>=+-]{1,255}$/.test(value);
}
