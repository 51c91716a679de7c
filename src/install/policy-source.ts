// Reading a smtp_tls_policy_maps source file, line by line as postmap(1) reads it: a line whose
// first non-blank character is '#' is a comment, a blank line is skipped, a line that starts
// with white space continues the previous logical line, and a logical line is a key, white
// space, and the value (trimmed). Two readings:
//  - strict, for the file about to be installed: it must look like `mxtls policy` output
//    (src/output/policy-file.ts), every key and attribute checked by the same rules that wrote
//    them (src/policy/postfix-syntax.ts), so a truncated or foreign file is never installed;
//  - lenient, for the installed file, which may be hand-written: only key and level are read,
//    to count the lines a new file would lower.
import { isPolicyLevel } from '../output/map-file.js';
import { sanitizeText } from '../output/sanitize.js';
import { isValidAttribute, isValidPolicyKey } from '../policy/postfix-syntax.js';

export interface PolicyEntry {
  key: string;
  /** The first word of the value: a PolicyLevel in a strict reading, anything in a lenient one. */
  level: string;
  /** The whole value, as `postmap -q` returns it. */
  value: string;
  /** 1-based line number of the key. */
  line: number;
}

export interface SourceProblem {
  line: number;
  error: string;
}

export interface PolicySource {
  entries: PolicyEntry[];
  problems: SourceProblem[];
}

/** Postfix compares keys without case (hash, lmdb and cdb fold them unless postmap -f). */
export function keyId(key: string): string {
  return key.toLowerCase();
}

/**
 * The attributes after the level, split as Postfix splits a policy value (white space outside
 * braces; `{ name = value }` is one attribute, the form src/policy/postfix-syntax.ts writes for
 * policy_string). Undefined when a brace is left open.
 */
function splitAttributes(text: string): [string, string][] | undefined {
  const out: [string, string][] = [];
  const token = /\s*(\{[^{}]*\}|[^\s{}]+)/y;
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    const m = token.exec(text);
    if (!m) return /^\s*$/.test(text.slice(at)) ? out : undefined;
    at = token.lastIndex;
    const raw = m[1]!;
    const inner = raw.startsWith('{') ? raw.slice(1, -1).trim() : raw;
    const eq = inner.indexOf('=');
    if (eq <= 0) return undefined;
    const name = raw.startsWith('{') ? inner.slice(0, eq).trim() : inner.slice(0, eq);
    const value = raw.startsWith('{') ? inner.slice(eq + 1).trim() : inner.slice(eq + 1);
    out.push([name, value]);
  }
  return out;
}

/** Why a line is not a line mxtls would write, or undefined when it is. */
function strictProblem(key: string, level: string, rest: string): string | undefined {
  if (!isValidPolicyKey(key)) return `"${sanitizeText(key, 80)}" is not a policy key (a domain, [host] or [host]:port)`;
  if (!isPolicyLevel(level)) return `"${sanitizeText(level, 40)}" is not a TLS security level`;
  const attributes = splitAttributes(rest);
  if (attributes === undefined) return 'unreadable attributes';
  const bad = attributes.find(([name, value]) => !isValidAttribute(name, value));
  return bad === undefined ? undefined : `invalid attribute "${sanitizeText(bad[0], 40)}=${sanitizeText(bad[1], 60)}"`;
}

export function readPolicySource(text: string, mode: 'strict' | 'lenient'): PolicySource {
  const entries: PolicyEntry[] = [];
  const problems: SourceProblem[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  // A file ending in '\n' leaves one empty string after the last line.
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i]!;
    if (/^\s*(#|$)/.test(raw)) continue;
    if (/^\s/.test(raw)) {
      // mxtls never writes a continuation line; Postfix would glue it to the line above.
      if (mode === 'strict') problems.push({ line: n, error: 'a line starting with white space (Postfix reads it as part of the line above)' });
      else if (entries.length > 0) {
        const last = entries.at(-1)!;
        last.value = `${last.value} ${raw.trim()}`;
      }
      continue;
    }
    const m = /^(\S+)(?:\s+(.*?))?\s*$/.exec(raw)!;
    const key = m[1]!;
    const value = m[2] ?? '';
    const level = value.split(/\s+/)[0] ?? '';
    if (mode === 'strict') {
      const problem = raw.includes('\r')
        ? 'a carriage return (DOS line ends): Postfix would keep it in the value'
        : value === ''
          ? 'a key without a value'
          : strictProblem(key, level, value.slice(level.length));
      if (problem !== undefined) {
        problems.push({ line: n, error: problem });
        continue;
      }
    }
    // postmap keeps the first of two entries with one key and warns about the second.
    if (seen.has(keyId(key))) {
      if (mode === 'strict') problems.push({ line: n, error: `${sanitizeText(key, 80)} has a line already` });
      continue;
    }
    seen.add(keyId(key));
    entries.push({ key, level, value, line: n });
  }
  return { entries, problems };
}
