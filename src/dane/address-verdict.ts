// One address against its host's TLSA records (pure): did the chain the server sent match?
import { chainDer, matchTlsa } from './match.js';
import { daneReferenceNames } from './tlsa-name.js';
import { matchName } from '../tls/name-match.js';
import { TLSA_USAGE, isUsableForSmtp } from './tlsa-record.js';
import type { AddressDane, AddressProbe, CertificateSummary, HostDane } from '../types.js';

/** `_25._tcp.mx.example.com` → `mx.example.com`: the TLSA base domain (RFC 7672 §2.2.2). */
function baseDomain(tlsaName: string): string {
  return tlsaName.replace(/^_\d+\._[a-z]+\./, '');
}

/**
 * Judges an observed address of a host with usable TLSA records, on the chain the probe saw (or
 * on `sent`, the chain a sentChain probe of the same address saw). A server that offers no TLS,
 * or whose TLS fails, cannot match: a DANE sender defers rather than sending in the clear.
 */
export function judgeAddressDane(
  probe: AddressProbe,
  host: { name: string; expandedName: string },
  dane: HostDane,
  now: Date,
  sent: CertificateSummary[] | undefined = probe.tls?.chain,
): AddressDane {
  const tls = probe.tls;
  if (!tls || !sent) return { matched: false, failure: 'no-tls' };
  const chain = chainDer(sent);
  const leaf = sent[0];
  if (!chain || !leaf) return { matched: false, failure: 'no-chain' };
  const names = daneReferenceNames(baseDomain(dane.tlsaName ?? host.name), host.name, host.expandedName);
  const result = matchTlsa(dane.records, chain, { leafNameMatches: names.some((n) => matchName(leaf, n) !== undefined), now });
  if (result.matched && result.by) return { matched: true, by: result.by };
  return { matched: false, failure: result.taFailure ?? 'no-match' };
}

/**
 * Whether a DANE-TA verdict of no match might change if we knew which certificates the server
 * sent: Node's chain ended in issuers from our own store, which the server may have sent too
 * (OpenSSL's DANE-TA takes only what the server sends, never our store: x509_vfy.c build_chain).
 */
export function needsSentChain(probe: AddressProbe, verdict: AddressDane, dane: HostDane): boolean {
  return !verdict.matched && (probe.tls?.storeIssuers ?? 0) > 0 && dane.records.some((r) => r.usage === TLSA_USAGE.DANE_TA && isUsableForSmtp(r));
}
