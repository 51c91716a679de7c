// Certificate names as OpenSSL decides them, cases ported from OpenSSL's test/v3nametest.c
// (certificates generated here; the table, not their code).
//
// Postfix 3.6+ hands every name check to OpenSSL's X509_check_host (SSL_add1_host) with
// X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS (tls_client.c). Its three strategies:
//   hostname    the MX host name             X509_check_host(cert, "mx.example.com")
//   nexthop     the next-hop domain          X509_check_host(cert, "example.com")
//   dot-nexthop any name below the nexthop   X509_check_host(cert, ".example.com")
// (a reference name with a leading dot matches any name strictly below it, at any depth, as
// Postfix does not set X509_CHECK_FLAG_SINGLE_LABEL_SUBDOMAINS by default).
//
// Each row states OpenSSL's answer for the three strategies. The test checks that answer against
// OpenSSL itself (node:crypto's X509Certificate#checkHost is X509_check_host, with the same flags)
// and then holds mxtls's nameMatch to it, on a CertificateSummary made by summarizeCertificate.
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, type AnyKeyType, type CertSpec, type IssuedCert } from '../../fixtures/certs.js';
import { summarizeCertificate } from '../../src/tls/certificate.js';
import { nameMatch } from '../../src/tls/name-match.js';

/** Postfix's flags in Node's option form: whole-label wildcards only. */
const POSTFIX = { partialWildcards: false } as const;

interface NameCase {
  name: string;
  /** dNSName SANs; none = no SAN extension, so the subject CNs count (RFC 6125 §6.4.4). */
  san?: string[];
  /** Subject CNs in order; null = empty subject. Default: one CN "unrelated.invalid". */
  cn?: string[] | null;
  keyType?: AnyKeyType;
  mx: string;
  nexthop: string;
  /** OpenSSL's answers: [hostname, nexthop, dot-nexthop]. */
  openssl: [boolean, boolean, boolean];
}

const T = true;
const F = false;
const CASES: NameCase[] = [
  // ── Exact names (v3nametest: a name in the certificate matches itself, nothing else) ──
  { name: 'exact SAN = MX host', san: ['mx.example.com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'exact SAN = nexthop only', san: ['example.com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [F, T, F] },
  { name: 'SAN is a subdomain of the MX host', san: ['test.mx.example.com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [F, F, T] },
  { name: 'SAN is a parent of the MX host', san: ['example.com'], mx: 'mx.example.com', nexthop: 'mx.example.com', openssl: [F, F, F] },
  { name: 'second SAN matches', san: ['other.example.net', 'mx.example.com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'unrelated SAN', san: ['example.net'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [F, F, F] },
  { name: 'A-label (IDNA) name', san: ['xn--rger-koa.example.com'], mx: 'xn--rger-koa.example.com', nexthop: 'example.com', openssl: [T, F, T] },

  // ── Case-insensitivity (ASCII only, as strcasecmp) ──
  { name: 'mixed-case SAN', san: ['MX.Example.COM'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'upper-case reference names', san: ['mx.example.com'], mx: 'MX.EXAMPLE.COM', nexthop: 'EXAMPLE.COM', openssl: [T, F, T] },
  { name: 'mixed-case CN, no SAN', cn: ['Mx.Example.Com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },

  // ── Wildcards: "*" is one whole left-most label ──
  { name: '*.example.com over one label', san: ['*.example.com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: '*.example.com does not match example.com itself', san: ['*.example.com'], mx: 'example.com', nexthop: 'example.com', openssl: [F, F, T] },
  { name: '*.example.com does not span two labels', san: ['*.example.com'], mx: 'a.mx.example.com', nexthop: 'mx.example.com', openssl: [F, T, F] },
  { name: '*.www.example.com over test.www.example.com', san: ['*.www.example.com'], mx: 'test.www.example.com', nexthop: 'www.example.com', openssl: [T, F, T] },
  { name: 'wildcard over an A-label parent', san: ['*.xn--rger-koa.example.com'], mx: 'www.xn--rger-koa.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'wildcard over a "--" label parent', san: ['*.good--example.com'], mx: 'www.good--example.com', nexthop: 'good--example.com', openssl: [T, F, T] },
  { name: 'wildcard not left-most (www.*.com)', san: ['www.*.com'], mx: 'www.example.com', nexthop: 'example.com', openssl: [F, F, F] },
  { name: 'wildcard not left-most (test.*.example.com)', san: ['test.*.example.com'], mx: 'test.www.example.com', nexthop: 'www.example.com', openssl: [F, F, F] },
  { name: 'two wildcards (*.*.com)', san: ['*.*.com'], mx: 'www.example.com', nexthop: 'example.com', openssl: [F, F, F] },
  { name: 'a bare "*"', san: ['*'], mx: 'example', nexthop: 'example', openssl: [F, F, F] },

  // ── No partial-label wildcards (X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS) ──
  { name: 'f*.example.com', san: ['f*.example.com'], mx: 'foo.example.com', nexthop: 'example.com', openssl: [F, F, T] },
  { name: '*oo.example.com', san: ['*oo.example.com'], mx: 'foo.example.com', nexthop: 'example.com', openssl: [F, F, T] },
  { name: '*www.example.com (v3nametest matches it only with partial wildcards on)', san: ['*www.example.com'], mx: 'www.example.com', nexthop: 'example.com', openssl: [F, F, T] },

  // ── A wildcard over a top-level domain never matches ──
  { name: '*.com', san: ['*.com'], mx: 'example.com', nexthop: 'example.com', openssl: [F, F, F] },
  { name: '*.com as CN, no SAN', cn: ['*.com'], mx: 'example.com', nexthop: 'example.com', openssl: [F, F, F] },

  // ── A trailing dot in the certificate name never matches ──
  { name: 'SAN with a trailing dot', san: ['mx.example.com.'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [F, F, F] },
  { name: 'wildcard SAN with a trailing dot', san: ['*.example.com.'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [F, F, F] },
  { name: 'CN with a trailing dot, no SAN', cn: ['mx.example.com.'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [F, F, F] },

  // ── CNs: only without any DNS SAN, and then every CN (v3nametest set_cn1/set_cn2/set_cn3) ──
  { name: 'CN only', cn: ['mx.example.com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'second of two CNs', cn: ['dummy value', 'mx.example.com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'first of two CNs', cn: ['mx.example.com', 'dummy value'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'one CN per strategy', cn: ['example.com', 'mx.example.com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, T, T] },
  { name: 'wildcard CN, no SAN', cn: ['*.example.com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'CN ignored when a DNS SAN exists', san: ['other.example.net'], cn: ['mx.example.com'], mx: 'mx.example.com', nexthop: 'example.com', openssl: [F, F, F] },
  { name: 'empty subject, SAN only', san: ['mx.example.com'], cn: null, mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'empty subject, no SAN', cn: null, mx: 'mx.example.com', nexthop: 'example.com', openssl: [F, F, F] },

  // ── Leading-dot reference names (dot-nexthop; v3nametest's ".www.example.com" rows) ──
  { name: '.www.example.com over test.www.example.com', san: ['test.www.example.com'], mx: 'test.www.example.com', nexthop: 'www.example.com', openssl: [T, F, T] },
  { name: '.www.example.com over *.www.example.com', san: ['*.www.example.com'], mx: 'mx.www.example.com', nexthop: 'www.example.com', openssl: [T, F, T] },
  { name: '.example.com over a.b.example.com (any depth)', san: ['a.b.example.com'], mx: 'a.b.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: '.example.com does not match example.com', san: ['example.com'], mx: 'example.com', nexthop: 'example.com', openssl: [T, T, F] },
  { name: '.example.com does not match notexample.com', san: ['notexample.com'], mx: 'notexample.com', nexthop: 'example.com', openssl: [T, F, F] },

  // ── Key types: the summary and the name check do not depend on them ──
  { name: 'Ed25519 key', san: ['mx.example.com'], keyType: 'ed25519', mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'ECDSA P-384 key', san: ['mx.example.com'], keyType: 'ecdsa-p384', mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
  { name: 'RSA key, RSASSA-PSS self-signature', san: ['mx.example.com'], keyType: 'rsa-pss', mx: 'mx.example.com', nexthop: 'example.com', openssl: [T, F, T] },
];

let issuer: IssuedCert;
beforeAll(async () => {
  issuer = await createCertificate({ subject: 'mxtls v3nametest CA', basicConstraints: 'ca' });
});

async function certificateFor(c: NameCase): Promise<Buffer> {
  const spec: CertSpec = {
    subject: c.cn === undefined ? 'unrelated.invalid' : c.cn,
    dnsNames: c.san ?? [],
    // Self-signed for the unusual key types (their key signs their own certificate), else issued.
    ...(c.keyType ? { keyType: c.keyType } : { issuer }),
  };
  return (await createCertificate(spec)).der;
}

describe('certificate names: mxtls agrees with OpenSSL X509_check_host (v3nametest cases)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const der = await certificateFor(c);
    const x509 = new X509Certificate(der);
    const ask = (reference: string): string | undefined => x509.checkHost(reference, POSTFIX);
    const byOpenssl = [ask(c.mx), ask(c.nexthop), ask(`.${c.nexthop}`)];
    expect(
      byOpenssl.map((m) => m !== undefined),
      `OpenSSL's answer differs from the table: ${JSON.stringify(byOpenssl)}`,
    ).toEqual(c.openssl);

    const summary = summarizeCertificate(der);
    const mine = nameMatch(summary, c.mx, c.nexthop);
    expect([mine.hostname, mine.nexthop, mine.dotNexthop], `mxtls: ${JSON.stringify(mine)}`).toEqual(c.openssl);
    // Which name matched the MX host: the certificate name OpenSSL reports (its peername).
    expect(mine.matchedBy).toBe(byOpenssl[0]);
  });

  it('dot-nexthop matches at any depth unless SINGLE_LABEL_SUBDOMAINS is set (Postfix does not set it)', () => {
    // Documents the flag's effect with OpenSSL itself, so the "any depth" rows above are meaningful.
    return createCertificate({ subject: 'a.b.example.com', dnsNames: ['a.b.example.com'], issuer }).then((cert) => {
      const x509 = new X509Certificate(cert.der);
      expect(x509.checkHost('.example.com', POSTFIX)).toBe('a.b.example.com');
      expect(x509.checkHost('.example.com', { ...POSTFIX, singleLabelSubdomains: true })).toBeUndefined();
      expect(x509.checkHost('.b.example.com', { ...POSTFIX, singleLabelSubdomains: true })).toBe('a.b.example.com');
    });
  });

  it('partial wildcards are what the flag turns off (v3nametest: *www.example.com matches by default)', async () => {
    const cert = await createCertificate({ subject: 'x', dnsNames: ['*www.example.com', 'f*.example.com'], issuer });
    const x509 = new X509Certificate(cert.der);
    expect(x509.checkHost('www.example.com')).toBe('*www.example.com');
    expect(x509.checkHost('foo.example.com')).toBe('f*.example.com');
    expect(x509.checkHost('www.example.com', POSTFIX)).toBeUndefined();
    expect(x509.checkHost('foo.example.com', POSTFIX)).toBeUndefined();
  });
});
