// What the configured resolver said about DNSSEC, per domain and per MX host (pure). Like
// Postfix, mxtls trusts the AD bit of the resolver it is told to use and nothing else: point it
// at a local validating resolver for these verdicts to mean anything.
import type { DnsAnswer, DnssecState, MxHost, MxResolution } from '../types.js';

/** Answers that state something about the name: an RRset, or its proven absence. */
const CONCLUSIVE: ReadonlySet<DnsAnswer<unknown>['status']> = new Set(['ok', 'nodata', 'nxdomain']);

/**
 * RFC 7672 §2.2.2: a host's address records are secure when every conclusive answer (A, AAAA,
 * the CNAMEs followed to reach them) was validated and at least one holds addresses. A failed
 * AAAA lookup next to a validated A does not make the host insecure: it only hides addresses.
 */
export function addressesSecure(host: Pick<MxHost, 'a' | 'aaaa'>): boolean {
  const conclusive = [host.a, host.aaaa].filter((answer) => CONCLUSIVE.has(answer.status));
  return conclusive.some((answer) => answer.status === 'ok') && conclusive.every((answer) => answer.authenticated);
}

/**
 * Whether DANE may apply to the domain's MX hosts at all: the MX RRset (or, for an implicit MX,
 * its proven absence) was validated. An explicit next hop `[host]` has no MX lookup to secure.
 */
export function mxSecure(mx: MxResolution): boolean {
  if (mx.status !== 'ok') return false;
  return mx.explicit === true || mx.mx.authenticated;
}

export function domainDnssec(mx: MxResolution): DnssecState {
  if (mx.status === 'dns-error') return mx.reason === 'bogus' ? 'bogus' : 'unknown';
  if (mx.status !== 'ok') return mx.mx.authenticated ? 'secure' : 'insecure';
  if (!mxSecure(mx)) return 'insecure';
  // A host without addresses carries no mail, so its answers do not weaken the verdict.
  const reachable = mx.hosts.filter((h) => h.a.records.length + h.aaaa.records.length > 0);
  const secure = reachable.length > 0 && reachable.every(addressesSecure);
  if (mx.explicit) return secure ? 'secure' : 'insecure';
  return secure ? 'secure' : 'partial';
}
