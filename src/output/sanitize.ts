// Text from the network (banners, certificate names, MX names, error messages) ends up in
// policy-file comments and terminal tables. A line break there would start a new table line
// (a policy for another domain); an escape sequence would repaint the terminal; a bidi
// override would make the text read differently from what it is. So every such string goes
// through sanitizeText, and every key or attribute written into a table must pass the
// validators below, which accept only plain LDH host names.

import { isIPv4 } from 'node:net';
import { isHostName } from '../input/normalize.js';
/**
 * C0 and DEL, C1 (includes NEL U+0085), lone surrogates, line/paragraph separators, bidi
 * marks, embeddings, overrides and isolates, zero-width characters and the BOM.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\p{Cs}/u;

export const DEFAULT_MAX_LENGTH = 200;

function escapeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Make untrusted text safe for one line of a comment or a table cell: unsafe characters
 * become visible escapes (\x0a, \u202e), a backslash is doubled so an escape cannot be
 * forged, and the result is cut to `max` characters (code points) with a trailing "…".
 */
export function sanitizeText(text: string, max: number = DEFAULT_MAX_LENGTH): string {
  // One piece per input code point; `width` counts output code points (an astral character
  // is two UTF-16 units but one character, an escape is several ASCII characters).
  const pieces = Array.from(text, (ch) => {
    if (ch === '\\') return { text: '\\\\', width: 2 };
    if (UNSAFE.test(ch)) {
      const escaped = escapeChar(ch);
      return { text: escaped, width: escaped.length };
    }
    return { text: ch, width: 1 };
  });
  const total = pieces.reduce((sum, piece) => sum + piece.width, 0);
  if (total <= max) return pieces.map((piece) => piece.text).join('');
  // Cut between pieces, never inside an escape, and leave room for the ellipsis.
  let out = '';
  let length = 0;
  for (const piece of pieces) {
    if (length + piece.width > max - 1) break;
    out += piece.text;
    length += piece.width;
  }
  return `${out}…`;
}

/** An A-label host name (the one definition, shared with input normalisation). */
export const isValidHostName = isHostName;

const NEXTHOP = /^\[([^\]]*)\](?::([0-9]{1,5}))?$/;

/**
 * A key Postfix's smtp_tls_policy_maps can hold: a host name, or the explicit next-hop
 * form `[host]` / `[host]:port` with a host name or IPv4 address (the port 1-65535 without
 * leading zeros).
 */
export function isValidPolicyKey(key: string): boolean {
  const nexthop = NEXTHOP.exec(key);
  if (!nexthop) return isValidHostName(key);
  const [, host = '', port] = nexthop;
  if (port !== undefined && !/^[1-9][0-9]*$/.test(port)) return false;
  if (port !== undefined && Number(port) > 65535) return false;
  return isValidHostName(host) || isIPv4(host);
}

/** The names Postfix's `match=` attribute understands besides host names. */
const MATCH_KEYWORDS = new Set(['hostname', 'nexthop', 'dot-nexthop']);

/** One `match=` pattern: a keyword, a host name, or `.host` (any subdomain of host). */
function isValidMatchPattern(pattern: string): boolean {
  if (MATCH_KEYWORDS.has(pattern)) return true;
  return isValidHostName(pattern.startsWith('.') ? pattern.slice(1) : pattern);
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
