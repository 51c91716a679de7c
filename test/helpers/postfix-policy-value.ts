// How Postfix splits a policy table value into its level and attributes, restated for tests
// from smtp_tls_policy.c (tls_policy_lookup_one): tokens are separated by white space and
// commas outside braces (mystrtokq with CHARS_COMMA_SP and CHARS_BRACE); a braced token
// "{ name = value }" loses its braces and the white space around name and value (extpar with
// EXTPAR_FLAG_STRIP); then "name=value" is split at the first "=" (split_nameval). An unbalanced
// brace makes the lookup invalid, and so does a token without "=".
export type ParsedValue = { ok: true; level: string; attributes: Array<[string, string]> } | { ok: false; reason: string };

const SEPARATORS = ' \t\r\n,';

function tokens(value: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && SEPARATORS.includes(value[i]!)) i++;
    if (i >= value.length) break;
    let depth = 0;
    const start = i;
    for (; i < value.length; i++) {
      const ch = value[i]!;
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      else if (depth === 0 && SEPARATORS.includes(ch)) break;
      if (depth < 0) return undefined;
    }
    if (depth !== 0) return undefined;
    out.push(value.slice(start, i));
  }
  return out;
}

export function parsePolicyValue(value: string): ParsedValue {
  const list = tokens(value);
  if (list === undefined) return { ok: false, reason: 'unbalanced braces' };
  const [level, ...rest] = list;
  if (level === undefined) return { ok: false, reason: 'empty policy' };
  const attributes: Array<[string, string]> = [];
  for (const token of rest) {
    const braced = token.startsWith('{');
    if (braced && !token.endsWith('}')) return { ok: false, reason: `malformed ${token}` };
    const inner = braced ? token.slice(1, -1).trim().replace(/\s+/g, ' ') : token;
    const eq = inner.indexOf('=');
    if (eq <= 0) return { ok: false, reason: `no name=value in ${token}` };
    attributes.push([inner.slice(0, eq).trim(), inner.slice(eq + 1).trim()]);
  }
  return { ok: true, level, attributes };
}
