// The summary table: one row per domain, for a terminal. Every cell that holds network
// data is sanitised, so no banner or name can break a row or repaint the screen.

import Table from 'cli-table3';
import type { AddressResult, DomainResult } from '../types.js';
import type { OutputItem } from './item.js';
import { declaredCell } from './declared.js';
import { postQuantumMark } from './key-exchange.js';
import { sanitizeText } from './sanitize.js';
import { Tally } from './tally.js';
import { levelWord, OBSERVATION_ORDER, observationWord, palette, type Palette } from './style.js';
import { summaryText } from './reason-text.js';

export interface TableOptions {
  color: boolean;
}

/** Oldest first: the weakest protocol is the one a summary must show. */
const PROTOCOL_ORDER = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const SHOWN_MX_NAMES = 1;
const REASON_MAX = 60;

function addressesOf(result: DomainResult): AddressResult[] {
  return result.hosts.flatMap((host) => host.addresses);
}

function observed(result: DomainResult): AddressResult[] {
  return addressesOf(result).filter((a) => a.observation !== 'not-observed');
}

function mxCell(result: DomainResult): string {
  // The MX lookup may never have finished: blame mxtls, not DNS.
  if (result.status === 'internal-error') return 'mxtls internal error';
  const mx = result.mx;
  switch (mx.status) {
    case 'ok': {
      const names = result.hosts.slice(0, SHOWN_MX_NAMES).map((host) => sanitizeText(host.name, 60));
      const more = result.hosts.length > SHOWN_MX_NAMES ? ` +${result.hosts.length - SHOWN_MX_NAMES}` : '';
      return `${result.hosts.length}: ${names.join(', ')}${more}${mx.explicit ? ' (next hop)' : mx.implicit ? ' (implicit)' : ''}`;
    }
    case 'null-mx':
      return 'null MX';
    case 'nxdomain':
      return 'NXDOMAIN';
    case 'no-mail-host':
      return 'no mail host';
    case 'dns-error':
      return `DNS ${mx.reason}`;
  }
}

function countCell(part: number, whole: number): string {
  return whole === 0 ? '—' : `${part}/${whole}`;
}

function weakestProtocol(addresses: AddressResult[], p: Palette): string {
  const protocols = addresses.flatMap((a) => (a.probe.tls ? [a.probe.tls.protocol] : []));
  if (protocols.length === 0) return '—';
  // An unknown protocol name sorts first: better to flag it than to hide it.
  const rank = (protocol: string): number => PROTOCOL_ORDER.indexOf(protocol);
  const weakest = protocols.reduce((a, b) => (rank(b) < rank(a) ? b : a));
  const text = sanitizeText(weakest, 20);
  return rank(weakest) >= PROTOCOL_ORDER.indexOf('TLSv1.2') ? text : p.bad(text);
}

/** The weakest protocol, then whether the key exchanges were post-quantum ("TLSv1.3 PQ"). */
function tlsCell(addresses: AddressResult[], p: Palette): string {
  const mark = postQuantumMark(addresses);
  const protocol = weakestProtocol(addresses, p);
  return mark === '' ? protocol : `${protocol} ${p.good(mark)}`;
}

function trustCell(addresses: AddressResult[], p: Palette): string {
  const parts = OBSERVATION_ORDER.flatMap((observation) => {
    const count = addresses.filter((a) => a.observation === observation).length;
    return count === 0 ? [] : [`${count} ${observationWord(observation, p)}`];
  });
  return parts.length === 0 ? '—' : parts.join(', ');
}

/** Borderless, so a list of many domains reads like `ls -l`, not a grid of boxes. */
const PLAIN_CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
};

function tally(items: readonly OutputItem[]): string {
  const t = new Tally('no-mail');
  for (const { rec } of items) t.add(rec);
  return t.text();
}

export function renderSummaryTable(items: readonly OutputItem[], options: TableOptions): string {
  const p = palette(options.color);
  const table = new Table({
    head: ['domain', 'MX', 'answered', 'TLS', 'observed', 'declared', 'level', 'reason'],
    chars: PLAIN_CHARS,
    style: { head: options.color ? ['bold'] : [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  // Results arrive in completion order; a person scans a list sorted by name.
  const sorted = [...items].sort((a, b) => (a.rec.domain < b.rec.domain ? -1 : a.rec.domain > b.rec.domain ? 1 : 0));
  for (const { result, rec } of sorted) {
    const all = addressesOf(result);
    const seen = observed(result);
    table.push([
      sanitizeText(rec.domain, 80),
      mxCell(result),
      countCell(seen.length, all.length),
      tlsCell(seen, p),
      trustCell(seen, p),
      declaredCell(result, p),
      levelWord(rec, p),
      sanitizeText(summaryText(rec), REASON_MAX),
    ]);
  }
  return `${table.toString()}\n\n${tally(items)}\n`;
}
