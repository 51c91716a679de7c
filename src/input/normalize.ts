import { domainToASCII } from 'node:url';

/** One usable input line: the policy key it produces, and the text as given. */
export type InputEntry =
  | { ok: true; domain: string; input: string }
  | { ok: false; input: string; error: string };

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
  if (raw.startsWith('[')) return { ok: false, input: text, error: 'explicit next hops ([host]:port) are not supported yet' };
  const ascii = domainToASCII(raw.toLowerCase());
  if (ascii === '' || !isHostName(ascii)) return { ok: false, input: text, error: 'not a valid domain name' };
  return { ok: true, domain: ascii, input: text };
}
