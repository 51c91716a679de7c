// What may stand in a Postfix smtp_tls_policy_maps table: keys and attributes. The policy
// layer builds lines (a `match=` list from MTA-STS patterns) and the writers check every key
// and attribute against the same rules, so nothing from the network can add a line.
import { isHostName } from '../name/host-name.js';
import { parseNexthopKey } from '../name/nexthop.js';
import { POLICY_LEVELS, type PolicyLevel } from '../types.js';

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

/** `host` or `*.host`: an MTA-STS mx pattern (RFC 8461 §3.2) as Postfix's mx_host_pattern takes it. */
function isValidMxHostPattern(pattern: string): boolean {
  return isHostName(pattern.startsWith('*.') ? pattern.slice(2) : pattern);
}

/**
 * Longest policy_string value written: Postfix keeps it as one C string, but a line of the file
 * must stay far below MAX_VALUE_LENGTH, and RFC 8461 policy lines are short.
 */
export const MAX_POLICY_STRING_LENGTH = 1000;

/**
 * A policy_string is written as `{ policy_string = value }` (TLSRPT_README): Postfix splits the
 * line at white space and commas outside braces, and ends the braced form at the first unmatched
 * "}" (mystrtokq with CHARS_BRACE). So the value is printable ASCII without braces; it neither
 * starts nor ends with a space, which Postfix strips (extpar, EXTPAR_FLAG_STRIP).
 */
const POLICY_STRING = new RegExp(`^[\\x21-\\x7a|~](?:[\\x20-\\x7a|~]{0,${MAX_POLICY_STRING_LENGTH - 2}}[\\x21-\\x7a|~])?$`);

/**
 * The largest value one line may carry. A static table has no limit of its own (postmap reads
 * lines of any length), but the same table served through proxymap or a socketmap is cut at
 * socketmap_max_reply_size (default 100000, mail_params.h), so mxtls stays under it.
 */
export const MAX_VALUE_LENGTH = 100_000;

/**
 * An attribute of a policy line (`name=value`). `match` is checked pattern by pattern
 * (patterns are separated by colons); the TLSRPT attributes of Postfix 3.10 by their own
 * grammar; other values (protocols=>=TLSv1.2, ciphers=high, exclude=...) must be a single
 * token of a narrow character set, so no white space, no comment sign and no line break can
 * reach the table.
 */
export function isValidAttribute(name: string, value: string): boolean {
  if (!/^[a-z][a-z_]{0,31}$/.test(name)) return false;
  switch (name) {
    case 'match':
      return value.split(':').every(isValidMatchPattern);
    case 'policy_type':
      // "sts" only: mxtls never writes "no-policy-found" (docs/policy.md says why).
      return value === 'sts';
    case 'policy_domain':
      return isHostName(value);
    case 'mx_host_pattern':
      return isValidMxHostPattern(value);
    case 'policy_string':
      return POLICY_STRING.test(value);
    default:
      return /^[A-Za-z0-9._:!>=+-]{1,255}$/.test(value);
  }
}

/** One attribute as it stands on the line: `name=value`, or the braced form for policy text. */
export function formatAttribute(name: string, value: string): string {
  return name === 'policy_string' ? `{ ${name} = ${value} }` : `${name}=${value}`;
}

const LEVELS: ReadonlySet<string> = new Set(POLICY_LEVELS);

/** Checked at run time: a recommendation read back from JSON may hold anything. */
export function isPolicyLevel(level: string | undefined): level is PolicyLevel {
  return level !== undefined && LEVELS.has(level);
}
