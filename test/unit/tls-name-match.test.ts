// Postfix's name strategies (hostname, nexthop, dot-nexthop) over certificates made here. The
// answers are OpenSSL's X509_check_host with Postfix's flags (tls_client.c add_namechecks); the
// rules themselves are held against OpenSSL case by case in tls-name-openssl.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, createLeaf, type IssuedCert } from '../../fixtures/certs.js';
import { summarizeCertificate } from '../../src/tls/certificate.js';
import { matchName, nameMatch } from '../../src/tls/name-match.js';
import type { CertificateSummary } from '../../src/types.js';

let ca: IssuedCert;
beforeAll(async () => {
  ca = await createCa({ name: 'mxtls Name Test CA' });
});

async function leaf(dnsNames: string[], cn?: string): Promise<CertificateSummary> {
  const cert = await createLeaf(ca, { dnsNames, ...(cn !== undefined ? { cn } : {}) });
  return summarizeCertificate(cert.der);
}

describe('matchName', () => {
  it.each([
    // [what, dnsNames, CN, reference, the certificate name OpenSSL reports]
    ['exact', ['mx.example.com'], undefined, 'mx.example.com', 'mx.example.com'],
    ['case-insensitive reference', ['mx.example.com'], undefined, 'MX.EXAMPLE.COM', 'mx.example.com'],
    ['our trailing-dot spelling of a reference is dropped, as DNS gives Postfix none', ['mx.example.com'], undefined, 'mx.example.com.', 'mx.example.com'],
    ['a certificate name with a trailing dot matches nothing', ['mx.example.com.'], undefined, 'mx.example.com', undefined],
    ['wildcard over one label', ['*.example.com'], undefined, 'mx.example.com', '*.example.com'],
    ['wildcard never spans two labels', ['*.example.com'], undefined, 'a.b.example.com', undefined],
    ['no partial-label wildcard', ['m*.example.com'], undefined, 'mx.example.com', undefined],
    ['no wildcard directly over a top-level domain', ['*.com'], undefined, 'example.com', undefined],
    ['leading-dot reference: any name below the domain', ['a.b.example.com'], undefined, '.example.com', 'a.b.example.com'],
    ['leading-dot reference never matches the domain itself', ['example.com'], undefined, '.example.com', undefined],
    ['CN when there is no DNS SAN', [], 'mx.example.com', 'mx.example.com', 'mx.example.com'],
    ['CN ignored when a DNS SAN exists', ['other.example.com'], 'mx.example.com', 'mx.example.com', undefined],
    ['NUL inside a SAN', ['mx.example.com\u0000.evil.com'], undefined, 'mx.example.com', undefined],
    ['non-ASCII SAN', ['mx.exämple.com'], undefined, 'mx.exämple.com', undefined],
    ['NUL in the reference', ['mx.example.com'], undefined, 'mx.example.com\u0000', undefined],
    ['empty reference', ['mx.example.com'], undefined, '', undefined],
  ])('%s', async (_what, dnsNames, cn, reference, expected) => {
    expect(matchName(await leaf(dnsNames, cn), reference)).toBe(expected);
  });

  it('a summary without its DER cannot be asked and matches nothing', async () => {
    const { der: _der, ...withoutDer } = await leaf(['mx.example.com']);
    expect(matchName(withoutDer, 'mx.example.com')).toBeUndefined();
  });
});

describe('nameMatch: hostname, nexthop and dot-nexthop', () => {
  it.each([
    // [what, dnsNames, CN, MX host, next-hop domain, hostname, nexthop, dotNexthop, matchedBy]
    ['MX name under the domain', ['mx1.example.com'], undefined, 'mx1.example.com', 'example.com', true, false, true, 'mx1.example.com'],
    ['domain name only', ['example.com'], undefined, 'mx.example.com', 'example.com', false, true, false, undefined],
    ['domain and MX name', ['example.com', 'mx.example.com'], undefined, 'mx.example.com', 'example.com', true, true, true, 'mx.example.com'],
    ['wildcard under the domain', ['*.example.com'], undefined, 'mx.example.com', 'example.com', true, false, true, '*.example.com'],
    ['hosted at a provider', ['mx.provider.net'], undefined, 'mx.provider.net', 'example.com', true, false, false, 'mx.provider.net'],
    ['any depth counts for dot-nexthop', ['a.b.example.com'], undefined, 'mx.provider.net', 'example.com', false, false, true, undefined],
    ['dot-nexthop needs a label boundary', ['notexample.com'], undefined, 'mx.provider.net', 'example.com', false, false, false, undefined],
    ['dot-nexthop is case-insensitive', ['MX.EXAMPLE.COM'], undefined, 'other.example.net', 'Example.Com', false, false, true, undefined],
    ['no nexthop match through a wildcard over a top-level domain', ['*.com'], undefined, 'mx.provider.net', 'example.com', false, false, false, undefined],
    ['CN fallback counts for every strategy', [], 'mx.example.com', 'mx.example.com', 'example.com', true, false, true, 'mx.example.com'],
    ['a NUL byte defeats every strategy', ['mx.example.com\u0000'], undefined, 'mx.example.com', 'example.com', false, false, false, undefined],
    ['nothing for an unrelated certificate', ['www.example.org'], undefined, 'mx.example.com', 'example.com', false, false, false, undefined],
  ])('%s', async (_what, dnsNames, cn, mx, domain, hostname, nexthop, dotNexthop, matchedBy) => {
    const result = nameMatch(await leaf(dnsNames, cn), mx, domain);
    expect(result).toEqual(matchedBy === undefined ? { hostname, nexthop, dotNexthop } : { hostname, nexthop, dotNexthop, matchedBy });
  });
});
