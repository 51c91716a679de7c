// Text from the network (banners, certificate names, MX names, error messages) ends up in
// policy-file comments and terminal tables. A line break there would start a new table line
// (a policy for another domain); an escape sequence would repaint the terminal; a bidi
// override would make the text read differently from what it is. So every such string goes
// through sanitizeText, and every key or attribute written into a table must pass the
// validators of src/policy/postfix-syntax.ts.

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
