// An smtp_tls_policy_maps source file (the text postmap reads) → its lines, and the line
// Postfix would use for a recipient domain. Read by `mxtls audit` to hold the policy against
// the deliveries, so a hand-edited file must read as Postfix reads it:
// - postmap(1): a line whose first non-blank character is '#' is a comment; a line that starts
//   with white space continues the previous logical line; the key ends at the first white space.
// - smtp_tls_policy.c, tls_policy_lookup(): a domain is looked up as itself, then as each parent
//   with a leading dot ("a.example.com", ".example.com", ".com"); "[host]:port" keys are
//   explicit next hops (transport maps, relayhost) and never match a recipient domain.
import type { PolicyLevel } from '../types.js';
import { isPolicyLevel, isValidAttribute, isValidPolicyKey } from './postfix-syntax.js';

export interface PolicyMapLine {
  key: string;
  level: PolicyLevel;
  /** The value as written (level and attributes), white space collapsed. */
  value: string;
  /** 1-based, the line the entry starts on. */
  line: number;
}

export interface PolicyMapSource {
  lines: Map<string, PolicyMapLine>;
  /** Entries Postfix would reject or mxtls cannot read: "line N: why". */
  problems: string[];
}

/** `.example.com` (parent-domain form) or a key Postfix accepts. */
function isKey(key: string): boolean {
  return key.startsWith('.') ? isValidPolicyKey(key.slice(1)) && !key.startsWith('.[') : isValidPolicyKey(key);
}

/** An attribute as `name=value`; the braced `{ name = value }` form is taken as written. */
function isAttribute(word: string): boolean {
  if (word.startsWith('{')) return true;
  const eq = word.indexOf('=');
  return eq > 0 && isValidAttribute(word.slice(0, eq), word.slice(eq + 1));
}

/** Splits a value at white space and commas outside braces (Postfix's mystrtokq with CHARS_BRACE). */
function words(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (depth === 0 && /[\s,]/.test(ch)) {
      if (current) out.push(current);
      current = '';
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}

export function parsePolicyMapSource(text: string): PolicyMapSource {
  const logical: { text: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (/^\s*(#|$)/.test(raw)) return;
    const last = logical[logical.length - 1];
    if (/^\s/.test(raw) && last) last.text += ` ${raw.trim()}`;
    else logical.push({ text: raw.trim(), line: i + 1 });
  });

  const lines = new Map<string, PolicyMapLine>();
  const problems: string[] = [];
  for (const { text: entry, line } of logical) {
    const [key = '', ...rest] = entry.split(/\s+/);
    const [level, ...attributes] = words(rest.join(' '));
    const lowerKey = key.toLowerCase();
    const bad = attributes.find((w) => !isAttribute(w));
    if (!isKey(lowerKey)) problems.push(`line ${line}: ${JSON.stringify(key.slice(0, 80))} is not a policy key`);
    else if (!isPolicyLevel(level)) problems.push(`line ${line}: ${lowerKey}: ${JSON.stringify((level ?? '').slice(0, 40))} is not a TLS security level`);
    else if (bad !== undefined) problems.push(`line ${line}: ${lowerKey}: attribute ${JSON.stringify(bad.slice(0, 80))} not understood`);
    // postmap keeps the first of duplicate keys and warns about the rest.
    else if (lines.has(lowerKey)) problems.push(`line ${line}: ${lowerKey} repeats line ${lines.get(lowerKey)!.line}; Postfix uses the first`);
    else lines.set(lowerKey, { key: lowerKey, level, value: [level, ...attributes].join(' '), line });
  }
  return { lines, problems };
}

/** The line Postfix uses for mail to `domain` (an A-label, lower case), or undefined. */
export function policyLineFor(source: PolicyMapSource, domain: string): PolicyMapLine | undefined {
  const exact = source.lines.get(domain);
  if (exact) return exact;
  for (let dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
    const parent = source.lines.get(domain.slice(dot));
    if (parent) return parent;
  }
  return undefined;
}
