// Small domains for the diff tests, built on output-fixtures: an MX address is described by
// what it does (verified, no STARTTLS, times out...) and which leaf certificate it shows.

import { toSnapshot, type DomainSnapshot } from '../../src/diff/snapshot.js';
import type { AddressResult, DomainResult, HostResult, PolicyRecommendation, ProbeFailure } from '../../src/types.js';
import { address, cert, host, nullMx, NOW, probe, rec, scanned, tls } from './output-fixtures.js';

export const DAY_MS = 86_400_000;
export { NOW };

/** An ISO time `days` after NOW (negative: before). */
export function inDays(days: number): string {
  return new Date(NOW.getTime() + days * DAY_MS).toISOString();
}

export type Does = 'verified' | 'expired' | 'self-signed' | 'no-starttls' | 'tls-failed' | 'timeout' | 'refused' | 'unreachable';

export interface Leaf {
  /** One hex digit, repeated into a 64-digit fingerprint: 'a' → 'aaaa…'. */
  fp?: string;
  notAfter?: string;
}

const noSession = { greeting: undefined, ehloKeywords: [], starttlsOffered: false, starttlsReply: undefined, tls: undefined, ehloTlsKeywords: undefined };

function failure(kind: ProbeFailure['kind'], stage: ProbeFailure['stage']): ProbeFailure {
  return { stage, kind, message: kind };
}

export function mxAddress(does: Does, hostname: string, ip: string, leaf: Leaf = {}): AddressResult {
  const chain = [cert({ sha256Fingerprint: (leaf.fp ?? 'a').repeat(64), ...(leaf.notAfter ? { notAfter: leaf.notAfter } : {}) })];
  switch (does) {
    case 'verified':
      return address('verified', probe(hostname, ip, { tls: tls({ chain }) }));
    case 'expired':
      return address('untrusted', probe(hostname, ip, { tls: tls({ chain, trust: { trusted: false, verdict: 'expired' } }) }));
    case 'self-signed':
      return address('untrusted', probe(hostname, ip, { tls: tls({ chain, trust: { trusted: false, verdict: 'self-signed' } }) }));
    case 'no-starttls':
      return address('no-starttls', probe(hostname, ip, { ehloKeywords: ['SIZE'], starttlsOffered: false, starttlsReply: undefined, tls: undefined, ehloTlsKeywords: undefined }));
    case 'tls-failed':
      return address('tls-failed', probe(hostname, ip, { stage: 'starttls', tls: undefined, ehloTlsKeywords: undefined, failure: failure('tls-handshake-failed', 'tls') }));
    case 'timeout':
      return address('not-observed', probe(hostname, ip, { ...noSession, stage: 'connect', failure: failure('greeting-timeout', 'greeting') }));
    case 'refused':
      return address('not-observed', probe(hostname, ip, { ...noSession, stage: 'connect', failure: failure('connect-refused', 'connect') }));
    case 'unreachable':
      return address('not-observed', probe(hostname, ip, { ...noSession, stage: 'connect', failure: failure('network-unreachable', 'connect') }));
  }
}

/** One MX host `name` whose addresses 192.0.2.1, .2 ... do what `does` lists. */
export function mxHost(name: string, does: Does[], leaf: Leaf = {}, preference = 10): HostResult {
  return host(name, preference, does.map((d, i) => mxAddress(d, name, `192.0.2.${i + 1}`, leaf)));
}

export interface Scan {
  result: DomainResult;
  rec: PolicyRecommendation;
}

/** A scanned domain with the line the recommender would give (stated, not computed: the diff
 *  tests must not depend on the recommender's rules). */
export function scan(domain: string, hosts: HostResult[], policy: Partial<PolicyRecommendation>, startedAt = inDays(0)): Scan {
  return { result: scanned(domain, hosts, { startedAt }), rec: rec(domain, policy) };
}

export function noMail(domain: string): Scan {
  return { result: nullMx(domain), rec: rec(domain, { kind: 'no-mail', level: undefined }) };
}

export function dnsError(domain: string): Scan {
  const answer = { status: 'servfail' as const, records: [], cnames: [], authenticated: false };
  const result: DomainResult = { ...nullMx(domain), status: 'dns-error', mx: { status: 'dns-error', mx: answer, reason: 'servfail' } };
  return { result, rec: rec(domain, { kind: 'unknown', level: undefined }) };
}

export function snap({ result, rec: r }: Scan): DomainSnapshot {
  return toSnapshot(result, r);
}
