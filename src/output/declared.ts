// What a domain declares (DNSSEC, DANE, MTA-STS, TLS-RPT) in the words the table and the
// detailed view share. TLSA data and MTA-STS fields came from the network: sanitised here.
import { formatTlsa, tlsaParams } from '../dane/tlsa-record.js';
import { hostDaneVerdict } from '../policy/dane.js';
import type { AddressDane, DnssecState, DomainResult, HostDane } from '../types.js';
import { sanitizeText } from './sanitize.js';
import type { Palette } from './style.js';

const DNSSEC_TEXT: Record<DnssecState, string> = {
  secure: 'secure: the MX and address answers were validated by the resolver (AD)',
  partial: 'partial: the MX answer was validated, some MX hosts\' addresses were not',
  insecure: 'insecure: answers not validated (unsigned zone, or a resolver that does not validate)',
  bogus: 'bogus: validation failed; validating senders cannot reach this domain',
  unknown: 'unknown: the MX lookup failed',
};

export function dnssecText(state: DnssecState, p: Palette): string {
  const text = DNSSEC_TEXT[state];
  return state === 'bogus' ? p.bad(text) : state === 'secure' ? p.good(text) : text;
}

export function hostDaneText(dane: HostDane): string {
  const owner = dane.tlsaName ? sanitizeText(dane.tlsaName, 120) : '';
  switch (dane.status) {
    case 'tlsa': {
      const records = dane.records.map((r) => sanitizeText(formatTlsa(r), 80)).join(', ');
      return `${dane.usable}/${dane.records.length} usable TLSA at ${owner}: ${records}`;
    }
    case 'no-tlsa':
      return `no TLSA records${owner ? ` (${owner})` : ''}`;
    case 'insecure-tlsa':
      return `TLSA at ${owner} not DNSSEC-validated: ignored`;
    case 'failed':
      return `TLSA lookup failed${owner ? ` at ${owner}` : ''}: ${sanitizeText(dane.detail ?? '', 200)}`;
    case 'not-applicable':
      return `not applicable: ${sanitizeText(dane.detail ?? '', 200)}`;
  }
}

export function addressDaneText(dane: AddressDane, p: Palette): string {
  if (dane.matched && dane.by) {
    return p.good(`matches ${tlsaParams(dane.by)} at depth ${dane.by.depth}`);
  }
  return p.bad(dane.failure === 'no-tls' ? 'no TLS, so no TLSA match' : `does not match its TLSA (${dane.failure ?? 'no-match'})`);
}

/** One short cell: "DNSSEC, DANE 1/1, STS enforce, RPT"; "—" when the domain declares nothing. */
export function declaredCell(result: DomainResult, p: Palette): string {
  const parts: string[] = [];
  if (result.dnssec === 'secure' || result.dnssec === 'partial') parts.push(result.dnssec === 'secure' ? 'DNSSEC' : 'DNSSEC partial');
  if (result.dnssec === 'bogus') parts.push(p.bad('DNSSEC bogus'));
  const tlsaHosts = result.hosts.filter((h) => h.dane?.status === 'tlsa');
  if (tlsaHosts.length > 0) {
    const matched = tlsaHosts.filter((h) => hostDaneVerdict(h) === 'matched').length;
    const text = `DANE ${matched}/${tlsaHosts.length}`;
    parts.push(matched === tlsaHosts.length ? p.good(text) : p.bad(text));
  }
  if (result.hosts.some((h) => h.dane?.status === 'failed')) parts.push(p.bad('TLSA failed'));
  const sts = result.mtaSts;
  if (sts?.status === 'ok' && sts.policy) parts.push(`STS ${sts.policy.mode}`);
  if (sts?.status === 'invalid') parts.push(p.warn('STS invalid'));
  if (result.tlsRpt?.status === 'ok') parts.push('RPT');
  return parts.length > 0 ? parts.join(', ') : '—';
}
