import { domainToASCII } from 'node:url';
import { isHostName } from '../name/host-name.js';
import { parseNexthopKey, type Nexthop } from '../name/nexthop.js';

/** One usable input line: the policy key it produces, and the text as given. */
export type InputEntry =
  | { ok: true; domain: string; input: string; nexthop?: Nexthop }
  | { ok: false; input: string; error: string };

/**
 * A domain, or the domain of an e-mail address, to its policy key: IDNA A-label, lower case,
 * no trailing dot. Returns undefined for blank and comment lines.
 */
export function normalizeInput(line: string): InputEntry | undefined {
  const text = line.replace(/#.*/, '').trim();
  if (text === '') return undefined;
  if (/\s/.test(text)) return { ok: false, input: text, error: 'more than one word on the line' };
  const at = text.lastIndexOf('@');
  const raw = (at >= 0 ? text.slice(at + 1) : text).replace(/\.$/, '');
  if (text.startsWith('[')) return parseNexthop(text);
  const ascii = domainToASCII(raw.toLowerCase());
  if (ascii === '' || !isHostName(ascii)) return { ok: false, input: text, error: 'not a valid domain name' };
  return { ok: true, domain: ascii, input: text };
}

/**
 * `[host]` or `[host]:port`, as in Postfix's transport and policy tables: the key is written
 * back exactly as given, so it must already be in the form Postfix will look up (A-label,
 * lower case, port without leading zeros).
 */
function parseNexthop(text: string): InputEntry {
  const parsed = parseNexthopKey(text);
  return parsed.ok ? { ok: true, domain: text, input: text, nexthop: parsed.nexthop } : { ok: false, input: text, error: parsed.error };
}

/** What the scanner needs from a valid line. */
export function toTarget(entry: Extract<InputEntry, { ok: true }>): { domain: string; input: string; nexthop?: Nexthop } {
  return { domain: entry.domain, input: entry.input, ...(entry.nexthop ? { nexthop: entry.nexthop } : {}) };
}
