// Builds DomainResults from short descriptions so policy tests read as a table.
// It goes through the real classifier (observeAddress/observeHost), so a wrong
// classification shows up in the policy tests too.
import { isUnreachableFromHere } from '../../src/probe/failure-codes.js';
import { observeAddress, observeHost } from '../../src/scan/observe.js';
import type { AddressProbe, AddressResult, DomainResult, HostResult, MxResolution, NameMatch, TrustVerdict } from '../../src/types.js';
import { SCHEMA_VERSION } from '../../src/types.js';

export type Behaviour =
  | 'verified'
  | 'untrusted'
  | 'mismatch'
  | 'mismatch-nexthop'
  | 'no-starttls'
  | 'starttls-454'
  | 'handshake-fail'
  | 'legacy'
  | 'refused'
  | 'timeout'
  | 'unreachable';

export function probeFor(address: string, hostname: string, b: Behaviour, verdict: TrustVerdict = 'self-signed'): AddressProbe {
  const base: AddressProbe = {
    address, family: address.includes(':') ? 6 : 4, port: 25, hostname, stage: 'done', heloFallback: false,
    ehloKeywords: ['PIPELINING', 'STARTTLS'], starttlsOffered: true, transcript: [], startedAt: '2026-01-01T00:00:00.000Z', durationMs: 5,
    greeting: { code: 220, lines: [`${hostname} ESMTP`] },
  };
  const tls = (trusted: boolean, legacyOnly = false) => ({
    protocol: legacyOnly ? 'TLSv1' : 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', cipherOpenssl: 'TLS_AES_256_GCM_SHA384',
    chain: [], trust: trusted ? { trusted: true, verdict: 'trusted' as const } : { trusted: false, verdict }, legacyOnly,
  });
  switch (b) {
    case 'verified': case 'mismatch': case 'mismatch-nexthop':
      return { ...base, starttlsReply: { code: 220, lines: ['go'] }, tls: tls(true) };
    case 'untrusted':
      return { ...base, starttlsReply: { code: 220, lines: ['go'] }, tls: tls(false) };
    case 'legacy':
      return { ...base, starttlsReply: { code: 220, lines: ['go'] }, tls: tls(true, true) };
    case 'no-starttls':
      return { ...base, ehloKeywords: ['PIPELINING'], starttlsOffered: false };
    case 'starttls-454':
      return { ...base, stage: 'ehlo', starttlsReply: { code: 454, lines: ['TLS not available'] }, failure: { stage: 'starttls', kind: 'starttls-rejected', message: '454' } };
    case 'handshake-fail':
      return { ...base, stage: 'starttls', starttlsReply: { code: 220, lines: ['go'] }, failure: { stage: 'tls', kind: 'tls-handshake-failed', message: 'alert' } };
    case 'refused':
      return { ...base, stage: 'connect', greeting: undefined, ehloKeywords: [], starttlsOffered: false, failure: { stage: 'connect', kind: 'connect-refused', message: 'refused', code: 'ECONNREFUSED' } };
    case 'timeout':
      return { ...base, stage: 'connect', greeting: undefined, ehloKeywords: [], starttlsOffered: false, failure: { stage: 'greeting', kind: 'greeting-timeout', message: 'timeout' } };
    case 'unreachable':
      return { ...base, stage: 'connect', greeting: undefined, ehloKeywords: [], starttlsOffered: false, failure: { stage: 'connect', kind: 'network-unreachable', message: 'ENETUNREACH', code: 'ENETUNREACH' } };
  }
}

function namesFor(b: Behaviour): NameMatch | undefined {
  if (b === 'verified' || b === 'legacy') return { hostname: true, nexthop: false, dotNexthop: false, matchedBy: 'x' };
  if (b === 'mismatch-nexthop') return { hostname: false, nexthop: true, dotNexthop: false };
  if (b === 'mismatch' || b === 'untrusted') return { hostname: false, nexthop: false, dotNexthop: false };
  return undefined;
}

export interface HostSpec {
  name: string;
  preference?: number;
  /** One behaviour per address; an empty list means the host has no address. */
  addresses: Behaviour[];
  lookup?: HostResult['addressLookup'];
}

export function domainResult(domain: string, hosts: HostSpec[]): DomainResult {
  const hostResults: HostResult[] = hosts.map((h, i) => {
    const addresses: AddressResult[] = h.addresses.map((b, j) => {
      const probe = probeFor(b === 'unreachable' ? `2001:db8::${j + 1}` : `192.0.2.${i * 10 + j + 1}`, h.name, b);
      const names = probe.tls ? namesFor(b) : undefined;
      return { probe, observation: observeAddress(probe, names), ...(names ? { names } : {}) };
    });
    const counted = addresses.filter((a) => !isUnreachableFromHere(a.probe)).map((a) => a.observation);
    return {
      name: h.name, preference: h.preference ?? 10 * (i + 1), addressLookup: h.lookup ?? (h.addresses.length ? 'ok' : 'no-address'),
      addresses, observation: observeHost(counted),
    };
  });
  const empty = { status: 'ok' as const, records: [], cnames: [], authenticated: false };
  const mx: MxResolution = { status: 'ok', implicit: false, hosts: [], mx: empty };
  return { schema: SCHEMA_VERSION, domain, status: 'scanned', mx, hosts: hostResults, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 10 };
}

export function dnsOnlyResult(domain: string, mx: MxResolution): DomainResult {
  return { schema: SCHEMA_VERSION, domain, status: mx.status === 'dns-error' ? 'dns-error' : 'no-mail', mx, hosts: [], startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1 };
}
