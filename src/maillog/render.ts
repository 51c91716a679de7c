// Domain rows → text. Every string in a row is a validated host name or A-label (parse-line.ts
// admits nothing else), so nothing here needs escaping.

import type { DomainRow } from './aggregate.js';

/** Relay names shown per row before "+N": a provider can have many MX hosts. */
const SHOWN_RELAYS = 3;

/** One domain per line, nothing else: the input `mxtls scan -f -` reads. */
export function renderDomainList(rows: readonly DomainRow[]): string {
  return rows.map((r) => `${r.domain}\n`).join('');
}

function relaysCell(relays: readonly string[]): string {
  const shown = relays.slice(0, SHOWN_RELAYS).join(', ');
  return relays.length > SHOWN_RELAYS ? `${shown} +${relays.length - SHOWN_RELAYS}` : shown;
}

/** Aligned columns for a person: domain, messages, plaintext ("?" when TLS was not logged), relays. */
export function renderDomainTable(rows: readonly DomainRow[]): string {
  const lines = [
    ['domain', 'messages', 'plaintext', 'relays'],
    ...rows.map((r) => [r.domain, String(r.messages), r.plaintext === null ? '?' : String(r.plaintext), relaysCell(r.relays)]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...lines.map((cells) => cells[i]!.length)));
  return lines
    .map((cells) => {
      const [domain, messages, plaintext, relays] = cells;
      // Counts are right-aligned so their digits line up.
      return `${domain!.padEnd(widths[0]!)}  ${messages!.padStart(widths[1]!)}  ${plaintext!.padStart(widths[2]!)}  ${relays}`.trimEnd();
    })
    .map((line) => `${line}\n`)
    .join('');
}

/** One JSON document: whether TLS was logged at all (else plaintext is null), then the rows. */
export function renderDomainJson(tlsLogged: boolean, rows: readonly DomainRow[]): string {
  return `${JSON.stringify({ tlsLogged, domains: rows }, null, 2)}\n`;
}
