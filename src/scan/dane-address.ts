// One address against its host's TLSA records (pure): did the chain the server sent match?
import { chainDer, matchTlsa } from '../dane/match.js';
import { daneReferenceNames } from '../dane/tlsa-name.js';
import { matchName } from '../tls/name-match.js';
import type { AddressDane, AddressProbe, HostDane } from '../types.js';

/** `_25._tcp.mx.example.com` → `mx.example.com`: the TLSA base domain (RFC 7672 §2.2.2). */
function baseDomain(tlsaName: string): string {
  return tlsaName.replace(/^_\d+\._[a-z]+\./, '');
}

/**
 * Judges an observed address of a host with usable TLSA records. A server that offers no TLS,
 * or whose TLS fails, cannot match: a DANE sender defers rather than sending in the clear.
 */
export function judgeAddressDane(probe: AddressProbe, host: { name: string; expandedName: string }, dane: HostDane, now: Date): AddressDane {
  const tls = probe.tls;
  if (!tls) return { matched: false, failure: 'no-tls' };
  const chain = chainDer(tls.chain);
  const leaf = tls.chain[0];
  if (!chain || !leaf) return { matched: false, failure: 'no-chain' };
  const names = daneReferenceNames(baseDomain(dane.tlsaName ?? host.name), host.name, host.expandedName);
  const result = matchTlsa(dane.records, chain, { leafNameMatches: names.some((n) => matchName(leaf, n) !== undefined), now });
  if (result.matched && result.by) return { matched: true, by: result.by };
  return { matched: false, failure: result.taFailure ?? 'no-match' };
}
