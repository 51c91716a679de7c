// Hand-built DomainResults and recommendations for the renderer tests. Fixed times and
// values only, so serialisations are byte-for-byte stable (the golden files depend on it).

import {
  SCHEMA_VERSION,
  type AddressObservation,
  type AddressProbe,
  type AddressResult,
  type CertificateSummary,
  type DnsAnswer,
  type DomainResult,
  type HostResult,
  type PolicyRecommendation,
  type Reason,
  type TlsDetails,
} from '../../src/types.js';
import type { OutputItem } from '../../src/output/item.js';

export const T0 = '2026-11-21T02:00:00.000Z';
/** "now" for days-left arithmetic: 30 days before the leaf below expires. */
export const NOW = new Date('2026-11-21T02:00:00Z');

export function cert(over: Partial<CertificateSummary> = {}): CertificateSummary {
  return {
    subject: 'CN=mx1.example.com',
    subjectCN: ['mx1.example.com'],
    dnsNames: ['mx1.example.com'],
    issuer: 'CN=Lab Intermediate CA,O=mxtls lab',
    serialNumber: '01',
    notBefore: '2026-09-22T00:00:00.000Z',
    notAfter: '2026-12-21T02:00:00.000Z',
    keyType: 'ec',
    keyCurve: 'prime256v1',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    sha256Fingerprint: 'aa'.repeat(32),
    spkiSha256: 'bb'.repeat(32),
    selfIssued: false,
    isCA: false,
    ...over,
  };
}

export function tls(over: Partial<TlsDetails> = {}): TlsDetails {
  return {
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    cipherOpenssl: 'TLS_AES_256_GCM_SHA384',
    keyExchange: { type: 'ECDH', name: 'X25519', size: 253, group: 'X25519', postQuantum: false },
    chain: [cert()],
    trust: { trusted: true, verdict: 'trusted' },
    legacyOnly: false,
    ...over,
  };
}

export function probe(hostname: string, address: string, over: Partial<AddressProbe> = {}): AddressProbe {
  return {
    address,
    family: address.includes(':') ? 6 : 4,
    port: 25,
    hostname,
    stage: 'done',
    greeting: { code: 220, lines: [`${hostname} ESMTP`] },
    heloFallback: false,
    ehloKeywords: ['PIPELINING', 'SIZE', 'STARTTLS'],
    starttlsOffered: true,
    starttlsReply: { code: 220, lines: ['2.0.0 Ready to start TLS'] },
    tls: tls(),
    ehloTlsKeywords: ['PIPELINING', 'SIZE'],
    transcript: [],
    startedAt: T0,
    durationMs: 42,
    ...over,
  };
}

export function address(observation: AddressObservation, p: AddressProbe): AddressResult {
  const names = p.tls ? { hostname: observation === 'verified', nexthop: false, dotNexthop: false } : undefined;
  return names ? { probe: p, observation, names } : { probe: p, observation };
}

export function host(name: string, preference: number, addresses: AddressResult[]): HostResult {
  const order: AddressObservation[] = ['verified', 'name-mismatch', 'untrusted', 'legacy-tls', 'tls-failed', 'no-starttls'];
  const observation = order.find((o) => addresses.some((a) => a.observation === o)) ?? 'not-observed';
  return { name, preference, addressLookup: addresses.length > 0 ? 'ok' : 'no-address', addresses, observation };
}

const emptyAnswer = { status: 'ok' as const, records: [], cnames: [], authenticated: false };

function addressAnswer(h: HostResult, family: 4 | 6): DnsAnswer<string> {
  const records = h.addresses.filter((a) => a.probe.family === family).map((a) => a.probe.address);
  return { ...emptyAnswer, status: records.length > 0 ? 'ok' : 'nodata', records };
}

export function scanned(domain: string, hosts: HostResult[], extra: Partial<DomainResult> = {}): DomainResult {
  return {
    schema: SCHEMA_VERSION,
    domain,
    status: 'scanned',
    mx: {
      status: 'ok',
      implicit: false,
      hosts: hosts.map((h) => ({ name: h.name, preference: h.preference, a: addressAnswer(h, 4), aaaa: addressAnswer(h, 6) })),
      mx: { ...emptyAnswer, records: hosts.map((h) => ({ preference: h.preference, exchange: h.name })) },
    },
    hosts,
    startedAt: T0,
    durationMs: 1234,
    ...extra,
  };
}

export function nullMx(domain: string): DomainResult {
  return {
    schema: SCHEMA_VERSION,
    domain,
    status: 'no-mail',
    mx: { status: 'null-mx', mx: { ...emptyAnswer, records: [{ preference: 0, exchange: '' }] } },
    hosts: [],
    startedAt: T0,
    durationMs: 5,
  };
}

export function rec(domain: string, over: Partial<PolicyRecommendation> = {}): PolicyRecommendation {
  const summary: Reason = { code: 'weakest-host', host: `mx.${domain}`, observation: 'no-starttls', level: 'may' };
  return { domain, kind: 'line', level: 'may', attributes: {}, summary, reasons: [], warnings: [], ...over };
}

/** One of each kind of entry a policy file can hold. */
export function sampleItems(): OutputItem[] {
  const verified = scanned('example.com', [
    // Node 24's report of OpenSSL 3.5's default hybrid: no size, the name is the parameter set.
    host('mx1.example.com', 10, [address('verified', probe('mx1.example.com', '192.0.2.1', { tls: tls({ keyExchange: { type: 'TLSGroup', name: 'X25519MLKEM768', group: 'X25519MLKEM768', postQuantum: true } }) }))]),
    host('mx2.example.com', 20, [address('verified', probe('mx2.example.com', '2001:db8::2', { tls: tls({ protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', cipherOpenssl: 'ECDHE-ECDSA-AES128-GCM-SHA256' }) }))]),
  ]);
  const untrusted = scanned('example.io', [
    host('mail.example.io', 10, [
      address(
        'untrusted',
        probe('mail.example.io', '192.0.2.10', {
          tls: tls({ chain: [cert({ subject: 'CN=mail.example.io', dnsNames: ['mail.example.io'], selfIssued: true })], trust: { trusted: false, verdict: 'self-signed', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } }),
        }),
      ),
    ]),
  ]);
  const plain = scanned('example.net', [
    host('mx.example.net', 10, [
      address('no-starttls', probe('mx.example.net', '192.0.2.20', { ehloKeywords: ['PIPELINING', 'SIZE'], starttlsOffered: false, starttlsReply: undefined, tls: undefined, ehloTlsKeywords: undefined })),
    ]),
  ]);
  const timedOut = scanned('example.org', [
    host('mx.example.org', 10, [
      address('not-observed', probe('mx.example.org', '192.0.2.30', { stage: 'connect', failure: { stage: 'connect', kind: 'connect-timeout', message: 'connect ETIMEDOUT 192.0.2.30:25', code: 'ETIMEDOUT' }, greeting: undefined, ehloKeywords: [], starttlsOffered: false, starttlsReply: undefined, tls: undefined, ehloTlsKeywords: undefined })),
    ]),
  ]);
  return [
    { result: verified, rec: rec('example.com', { level: 'verify', summary: { code: 'verified', verified: 2, addresses: 2, host: 'mx1.example.com', protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' } }) },
    { result: untrusted, rec: rec('example.io', { level: 'encrypt', summary: { code: 'weakest-host', host: 'mail.example.io', observation: 'untrusted', level: 'encrypt', trust: 'self-signed' } }) },
    { result: plain, rec: rec('example.net', { level: 'may', summary: { code: 'weakest-host', host: 'mx.example.net', observation: 'no-starttls', level: 'may' } }) },
    { result: timedOut, rec: rec('example.org', {
        kind: 'unknown',
        level: undefined,
        summary: { code: 'none-observed', addresses: 1, failures: ['connect-timeout'] },
        warnings: [{ code: 'address-not-observed', host: 'mx.example.org', address: '192.0.2.30', failure: { kind: 'connect-timeout', stage: 'connect', code: 'ETIMEDOUT' } }],
      }) },
    { result: nullMx('example.edu'), rec: rec('example.edu', { kind: 'no-mail', level: undefined, summary: { code: 'no-mail', cause: 'null-mx' } }) },
  ];
}
