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

/**
 * Aligned columns, two spaces apart: `right` says which columns are counts (right-aligned so
 * their digits line up); the last column is never padded.
 */
export function renderColumns(lines: readonly (readonly string[])[], right: readonly boolean[]): string {
  const last = right.length - 1;
  const widths = right.map((_, i) => Math.max(...lines.map((cells) => cells[i]!.length)));
  return lines
    .map((cells) => cells.map((cell, i) => (i === last ? cell : right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .map((line) => `${line}\n`)
    .join('');
}

/** Aligned columns for a person: domain, messages, plaintext ("?" when TLS was not logged), relays. */
export function renderDomainTable(rows: readonly DomainRow[]): string {
  const lines = [
    ['domain', 'messages', 'plaintext', 'relays'],
    ...rows.map((r) => [r.domain, String(r.messages), r.plaintext === null ? '?' : String(r.plaintext), relaysCell(r.relays)]),
  ];
  return renderColumns(lines, [false, true, true, false]);
}

/** One JSON document: whether TLS was logged at all (else plaintext is null), then the rows. */
export function renderDomainJson(tlsLogged: boolean, rows: readonly DomainRow[]): string {
  return `${JSON.stringify({ tlsLogged, domains: rows }, null, 2)}\n`;
}
