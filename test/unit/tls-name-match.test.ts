import { describe, expect, it } from 'vitest';
import { certificateNames, matchName, nameMatch } from '../../src/tls/name-match.js';

const leaf = (dnsNames: string[], subjectCN: string[] = []) => ({ dnsNames, subjectCN });

describe('matchName (Postfix rules)', () => {
  it.each([
    // [what, dnsNames, CNs, reference, expected matching certificate name]
    ['exact', ['mx.example.com'], [], 'mx.example.com', 'mx.example.com'],
    ['case-insensitive', ['MX.Example.COM'], [], 'mx.example.com', 'MX.Example.COM'],
    ['case-insensitive reference', ['mx.example.com'], [], 'MX.EXAMPLE.COM', 'mx.example.com'],
    ['trailing dot on the certificate name', ['mx.example.com.'], [], 'mx.example.com', 'mx.example.com.'],
    ['trailing dot on the reference', ['mx.example.com'], [], 'mx.example.com.', 'mx.example.com'],
    ['second SAN', ['a.example.com', 'mx.example.com'], [], 'mx.example.com', 'mx.example.com'],
    ['different name', ['mx.example.org'], [], 'mx.example.com', undefined],
    ['suffix only', ['example.com'], [], 'mx.example.com', undefined],
    ['longer name', ['a.mx.example.com'], [], 'mx.example.com', undefined],
    // wildcards
    ['wildcard, one label', ['*.example.com'], [], 'mx.example.com', '*.example.com'],
    ['wildcard, case-insensitive', ['*.EXAMPLE.com'], [], 'Mx.Example.Com', '*.EXAMPLE.com'],
    ['wildcard never spans two labels', ['*.example.com'], [], 'a.b.example.com', undefined],
    ['wildcard never matches the apex', ['*.example.com'], [], 'example.com', undefined],
    ['no partial-label wildcard f*', ['f*.example.com'], [], 'foo.example.com', undefined],
    ['no partial-label wildcard *x', ['*x.example.com'], [], 'mx.example.com', undefined],
    ['wildcard only left-most', ['mx.*.com'], [], 'mx.example.com', undefined],
    ['two wildcards', ['*.*.example.com'], [], 'a.b.example.com', undefined],
    ['bare *', ['*'], [], 'localhost', undefined],
    ['bare *.', ['*.'], [], 'mx.', undefined],
    ['wildcard with trailing dot', ['*.example.com.'], [], 'mx.example.com', '*.example.com.'],
    ['Postfix has no public-suffix rule', ['*.com'], [], 'example.com', '*.com'],
    // hostile bytes
    ['NUL inside a SAN', ['mx.example.com\u0000.evil.com'], [], 'mx.example.com', undefined],
    ['NUL at the end of a SAN', ['mx.example.com\u0000'], [], 'mx.example.com', undefined],
    ['newline in a SAN', ['mx.example.com\n'], [], 'mx.example.com', undefined],
    ['control byte in a SAN', ['mx.exa\u0007mple.com'], [], 'mx.example.com', undefined],
    ['DEL in a SAN', ['mx.example.com\u007f'], [], 'mx.example.com', undefined],
    ['non-ASCII in a SAN', ['mx.exämple.com'], [], 'mx.exämple.com', undefined],
    ['space in a SAN', ['mx.example.com other'], [], 'mx.example.com', undefined],
    ['NUL reference', ['mx.example.com'], [], 'mx.example.com\u0000', undefined],
    ['NUL in a CN', [], ['mx.example.com\u0000.evil.com'], 'mx.example.com', undefined],
    ['empty reference', ['mx.example.com'], [], '', undefined],
    // CN fallback
    ['CN when there is no DNS SAN', [], ['mx.example.com'], 'mx.example.com', 'mx.example.com'],
    ['wildcard CN when there is no DNS SAN', [], ['*.example.com'], 'mx.example.com', '*.example.com'],
    ['CN ignored when a DNS SAN exists', ['other.example.com'], ['mx.example.com'], 'mx.example.com', undefined],
    ['CN ignored even when the only SAN is malformed', ['bad\u0000name'], ['mx.example.com'], 'mx.example.com', undefined],
    ['CN ignored even when the only SAN is empty', [''], ['mx.example.com'], 'mx.example.com', undefined],
    ['only the first CN counts', [], ['other.example.com', 'mx.example.com'], 'mx.example.com', undefined],
    ['no names at all', [], [], 'mx.example.com', undefined],
  ])('%s', (_what, dnsNames, cns, reference, expected) => {
    expect(matchName(leaf(dnsNames, cns), reference)).toBe(expected);
  });
});

describe('certificateNames', () => {
  it.each([
    ['DNS SANs, malformed ones left out', ['a.example.com', 'b\u0000.example.com', 'B.example.com.'], ['cn.example.com'], ['a.example.com', 'B.example.com.']],
    ['first CN without DNS SANs', [], ['cn.example.com', 'second.example.com'], ['cn.example.com']],
    ['nothing when the only SAN is malformed', ['bad\nname'], ['cn.example.com'], []],
    ['nothing without names', [], [], []],
  ])('%s', (_what, dnsNames, cns, expected) => {
    expect(certificateNames(leaf(dnsNames, cns))).toEqual(expected);
  });
});

describe('nameMatch: hostname, nexthop and dot-nexthop', () => {
  it.each([
    // [what, dnsNames, CNs, MX host, next-hop domain, hostname, nexthop, dotNexthop, matchedBy]
    ['MX name under the domain', ['mx1.example.com'], [], 'mx1.example.com', 'example.com', true, false, true, 'mx1.example.com'],
    ['domain name only', ['example.com'], [], 'mx.example.com', 'example.com', false, true, false, undefined],
    ['domain and MX name', ['example.com', 'mx.example.com'], [], 'mx.example.com', 'example.com', true, true, true, 'mx.example.com'],
    ['wildcard under the domain (a literal sub-domain name for dot-nexthop)', ['*.example.com'], [], 'mx.example.com', 'example.com', true, false, true, '*.example.com'],
    ['hosted at a provider', ['mx.provider.net'], [], 'mx.provider.net', 'example.com', true, false, false, 'mx.provider.net'],
    ['any depth counts for dot-nexthop', ['a.b.example.com'], [], 'mx.provider.net', 'example.com', false, false, true, undefined],
    ['dot-nexthop needs a label boundary', ['notexample.com'], [], 'mx.provider.net', 'example.com', false, false, false, undefined],
    ['dot-nexthop needs a non-empty label', ['.example.com'], [], 'mx.provider.net', 'example.com', false, false, false, undefined],
    ['dot-nexthop is case-insensitive and ignores trailing dots', ['MX.EXAMPLE.COM.'], [], 'other.example.net', 'Example.Com.', false, false, true, undefined],
    ['nexthop by wildcard (domain one label below the wildcard)', ['*.com'], [], 'mx.provider.net', 'example.com', false, true, false, undefined],
    ['CN fallback counts for every strategy', [], ['mx.example.com'], 'mx.example.com', 'example.com', true, false, true, 'mx.example.com'],
    ['CN ignored when a SAN exists', ['other.example.org'], ['mx.example.com'], 'mx.example.com', 'example.com', false, false, false, undefined],
    ['a NUL byte defeats every strategy', ['mx.example.com\u0000'], [], 'mx.example.com', 'example.com', false, false, false, undefined],
    ['nothing for an unrelated certificate', ['www.example.org'], [], 'mx.example.com', 'example.com', false, false, false, undefined],
  ])('%s', (_what, dnsNames, cns, mx, domain, hostname, nexthop, dotNexthop, matchedBy) => {
    const result = nameMatch(leaf(dnsNames, cns), mx, domain);
    expect(result).toEqual(matchedBy === undefined ? { hostname, nexthop, dotNexthop } : { hostname, nexthop, dotNexthop, matchedBy });
  });
});
