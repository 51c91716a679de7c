import { isIPv4 } from 'node:net';
import { domainToASCII } from 'node:url';

/** A Postfix explicit next hop: probe this host directly, no MX lookup. */
export interface Nexthop {
  host: string;
  port?: number;
}

/** One usable input line: the policy key it produces, and the text as given. */
export type InputEntry =
  | { ok: true; domain: string; input: string; nexthop?: Nexthop }
  | { ok: false; input: string; error: string };

const NEXTHOP = /^\[([^\]]+)\](?::([0-9]+))?$/;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** True for an LDH host name in A-label form (what a policy key may hold). */
export function isHostName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^[0-9]+$/.test(labels[labels.length - 1]!);
}

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

/** The `[host]` / `[host]:port` grammar, shared with the policy-key validator. */
export function parseNexthopKey(text: string): { ok: true; nexthop: Nexthop } | { ok: false; error: string } {
  const m = NEXTHOP.exec(text);
  if (!m) return { ok: false, error: 'not a valid next hop ([host] or [host]:port)' };
  const [, host = '', portText] = m;
  if (!isHostName(host) && !isIPv4(host)) return { ok: false, error: 'next hop host must be an A-label host name or IPv4 address' };
  if (portText !== undefined && (!/^[1-9][0-9]*$/.test(portText) || Number(portText) > 65535)) {
    return { ok: false, error: 'next hop port must be 1-65535' };
  }
  return { ok: true, nexthop: portText === undefined ? { host } : { host, port: Number(portText) } };
}

/** What the scanner needs from a valid line. */
export function toTarget(entry: Extract<InputEntry, { ok: true }>): { domain: string; input: string; nexthop?: Nexthop } {
  return { domain: entry.domain, input: entry.input, ...(entry.nexthop ? { nexthop: entry.nexthop } : {}) };
}
