import { createHash, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, createCertificate, createIntermediate, createLabPki, createLeaf, createSelfSigned, type IssuedCert, type LabPki } from '../../fixtures/certs.js';
import { readDerFields, signatureAlgorithmName, summarizeCertificate } from '../../src/tls/certificate.js';

const DAY = 86_400_000;
let pki: LabPki;
let rsaLeaf: IssuedCert;
const notBefore = new Date(Math.floor((Date.now() - 2 * DAY) / 1000) * 1000);
const notAfter = new Date(Math.floor((Date.now() + 30 * DAY) / 1000) * 1000);

beforeAll(async () => {
  pki = await createLabPki();
  rsaLeaf = await pki.leaf({ dnsNames: ['mx1.example.com', 'mx2.example.com'], cn: 'mx1.example.com', notBefore, notAfter });
});

const nodeFingerprint = (der: Buffer): string => new X509Certificate(der).fingerprint256.replace(/:/g, '').toLowerCase();
const nodeSpkiHash = (der: Buffer): string =>
  createHash('sha256').update(new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');

describe('summarizeCertificate on factory certificates', () => {
  it('summarizes an RSA leaf', () => {
    const s = summarizeCertificate(rsaLeaf.der);
    expect(s).toMatchObject({
      subject: 'CN=mx1.example.com',
      subjectCN: ['mx1.example.com'],
      dnsNames: ['mx1.example.com', 'mx2.example.com'],
      issuer: 'CN=mxtls Lab Intermediate CA',
      keyType: 'rsa',
      keyBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      selfIssued: false,
      isCA: false,
    });
    expect(s.keyCurve).toBeUndefined();
    expect(s.serialNumber).toBe(new X509Certificate(rsaLeaf.der).serialNumber);
  });

  it('computes the fingerprint and SPKI hash exactly as Node and crypto.createHash do', () => {
    const s = summarizeCertificate(rsaLeaf.der);
    expect(s.sha256Fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(s.sha256Fingerprint).toBe(nodeFingerprint(rsaLeaf.der));
    expect(s.spkiSha256).toBe(nodeSpkiHash(rsaLeaf.der));
    expect(s.spkiSha256).not.toBe(s.sha256Fingerprint);
  });

  it('reads the SPKI from the certificate bytes, not a re-export', () => {
    const fields = readDerFields(rsaLeaf.der);
    const exported = new X509Certificate(rsaLeaf.der).publicKey.export({ type: 'spki', format: 'der' });
    expect(Buffer.from(fields.spki!).equals(exported)).toBe(true);
  });

  it('summarizes an ECDSA leaf from an RSA intermediate (signature follows the issuer)', async () => {
    const leaf = await pki.leaf({ dnsNames: ['ec.example.com'], keyType: 'ecdsa' });
    const s = summarizeCertificate(leaf.der);
    expect(s).toMatchObject({ keyType: 'ec', keyCurve: 'prime256v1', keyBits: 256, signatureAlgorithm: 'sha256WithRSAEncryption' });
    expect(s.spkiSha256).toBe(nodeSpkiHash(leaf.der));
  });

  it('names ECDSA signatures when the issuer key is ECDSA', async () => {
    const ca = await createCa({ name: 'EC Test Root', keyType: 'ecdsa' });
    const leaf = await createLeaf(ca, { dnsNames: ['ec.example.com'], keyType: 'ecdsa' });
    expect(summarizeCertificate(ca.der)).toMatchObject({ signatureAlgorithm: 'ecdsa-with-SHA256', keyType: 'ec', isCA: true, selfIssued: true });
    expect(summarizeCertificate(leaf.der).signatureAlgorithm).toBe('ecdsa-with-SHA256');
  });

  it('marks roots and intermediates as CAs and only the root as self-issued', () => {
    expect(summarizeCertificate(pki.root.der)).toMatchObject({ isCA: true, selfIssued: true, subjectCN: ['mxtls Lab Root CA'] });
    expect(summarizeCertificate(pki.intermediate.der)).toMatchObject({ isCA: true, selfIssued: false, issuer: 'CN=mxtls Lab Root CA' });
  });

  it('marks a self-signed server certificate self-issued even without keyCertSign', async () => {
    const ss = await createSelfSigned({ dnsNames: ['self.example.com'] });
    const x = new X509Certificate(ss.der);
    // OpenSSL's check_issued refuses an issuer without keyCertSign, which is why we also compare names.
    expect(x.checkIssued(x)).toBe(false);
    expect(summarizeCertificate(ss.der)).toMatchObject({ selfIssued: true, isCA: false, dnsNames: ['self.example.com'] });
  });

  it('keeps odd bytes of dNSName entries exactly as encoded', async () => {
    const odd = ['mx.example.com\u0000.evil.com', 'line\nbreak.example.com', 'UPPER.Example.COM.', 'tab\t.example.com'];
    const leaf = await pki.leaf({ dnsNames: odd, cn: 'ok.example.com' });
    expect(summarizeCertificate(leaf.der).dnsNames).toEqual(odd);
  });

  it('gives no DNS names and the CN for a certificate without subjectAltName', async () => {
    const leaf = await pki.leaf({ dnsNames: [], cn: 'cn-only.example.com' });
    expect(summarizeCertificate(leaf.der)).toMatchObject({ dnsNames: [], subjectCN: ['cn-only.example.com'] });
  });

  it('dates an expired certificate in the past', async () => {
    const leaf = await pki.leaf({ dnsNames: ['old.example.com'], notBefore: new Date(Date.now() - 100 * DAY), notAfter: new Date(Date.now() - 10 * DAY) });
    const s = summarizeCertificate(leaf.der);
    expect(Date.parse(s.notAfter)).toBeLessThan(Date.now());
    expect(Date.parse(s.notBefore)).toBeLessThan(Date.parse(s.notAfter));
  });
});

describe('summarizeCertificate never throws', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['text', Buffer.from('not a certificate')],
    ['an empty SEQUENCE', Buffer.from([0x30, 0x00])],
    ['a SEQUENCE claiming 64 KiB', Buffer.from([0x30, 0x83, 0x01, 0x00, 0x00, 0x01])],
  ])('on %s', (_name, der) => {
    const s = summarizeCertificate(der);
    expect(s).toMatchObject({ dnsNames: [], subjectCN: [], subject: '', keyType: 'unknown', signatureAlgorithm: 'unknown', spkiSha256: '' });
    expect(s.sha256Fingerprint).toBe(createHash('sha256').update(der).digest('hex'));
  });

  it('on every truncation and on random byte flips of a real certificate', () => {
    const der = rsaLeaf.der;
    for (let len = 0; len < der.length; len += 7) expect(() => summarizeCertificate(der.subarray(0, len))).not.toThrow();
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const copy = Buffer.from(der);
      for (let k = 0; k < 3; k++) copy[rand(copy.length)] = rand(256);
      expect(() => summarizeCertificate(copy)).not.toThrow();
    }
  });

  it('on valid but unusual certificates: empty subject and issuer, several CNs, Ed25519, P-384, RSA-PSS', async () => {
    const keyOnly = summarizeCertificate((await createCertificate({ subject: null, basicConstraints: 'none' })).der);
    expect(keyOnly).toMatchObject({ subject: '', issuer: '', subjectCN: [], dnsNames: [], selfIssued: true, keyType: 'rsa', keyBits: 2048 });
    const twoCns = summarizeCertificate((await createCertificate({ subject: ['a.example.com', 'b.example.com'] })).der);
    expect(twoCns.subjectCN).toEqual(['a.example.com', 'b.example.com']);
    const ed = summarizeCertificate((await createCertificate({ subject: 'ed.example.com', keyType: 'ed25519' })).der);
    expect(ed).toMatchObject({ keyType: 'ed25519', keyBits: 256, signatureAlgorithm: 'ED25519' });
    const p384 = summarizeCertificate((await createCertificate({ subject: 'p384.example.com', keyType: 'ecdsa-p384' })).der);
    expect(p384).toMatchObject({ keyType: 'ec', keyBits: 384, keyCurve: 'secp384r1' });
    const pss = summarizeCertificate((await createCertificate({ subject: 'pss.example.com', keyType: 'rsa-pss' })).der);
    expect(pss).toMatchObject({ keyBits: 2048, signatureAlgorithm: 'rsassaPss' });
  });

  it('still reads the DER fields of a certificate whose signature bytes are corrupt', () => {
    const copy = Buffer.from(rsaLeaf.der);
    copy[copy.length - 1] = copy[copy.length - 1]! ^ 0xff; // last byte of the signature value: structure intact
    const s = summarizeCertificate(copy);
    expect(s.dnsNames).toEqual(['mx1.example.com', 'mx2.example.com']);
    expect(s.signatureAlgorithm).toBe('sha256WithRSAEncryption');
  });
});

describe('signatureAlgorithmName', () => {
  it.each([
    ['1.2.840.113549.1.1.11', 'sha256WithRSAEncryption'],
    ['1.2.840.113549.1.1.12', 'sha384WithRSAEncryption'],
    ['1.2.840.113549.1.1.13', 'sha512WithRSAEncryption'],
    ['1.2.840.113549.1.1.5', 'sha1WithRSAEncryption'],
    ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption'],
    ['1.2.840.113549.1.1.10', 'rsassaPss'],
    ['1.2.840.10045.4.3.2', 'ecdsa-with-SHA256'],
    ['1.2.840.10045.4.3.3', 'ecdsa-with-SHA384'],
    ['1.2.840.10045.4.3.4', 'ecdsa-with-SHA512'],
    ['1.3.101.112', 'ED25519'],
    ['1.3.101.113', 'ED448'],
    ['1.2.3.4.5', '1.2.3.4.5'],
  ])('%s → %s', (oid, name) => {
    expect(signatureAlgorithmName(oid)).toBe(name);
  });
});

describe('the certificate factory', () => {
  it('reuses the leaf key but gives each CA its own key', async () => {
    const a = await pki.leaf({ dnsNames: ['a.example.com'] });
    const b = await pki.leaf({ dnsNames: ['b.example.com'] });
    const fresh = await pki.leaf({ dnsNames: ['c.example.com'], freshKey: true });
    const spki = (c: IssuedCert) => summarizeCertificate(c.der).spkiSha256;
    expect(spki(a)).toBe(spki(b));
    expect(spki(fresh)).not.toBe(spki(a));
    expect(spki(pki.root)).not.toBe(spki(pki.intermediate));
    const other = await createCa({ name: 'Another Root' });
    expect(spki(other)).not.toBe(spki(pki.root));
  });

  it('issues from an issuer given only as PEM strings', async () => {
    const ca = await createCa({ name: 'PEM-only Root' });
    const detached = { certPem: ca.certPem, keyPem: ca.keyPem, der: ca.der };
    const inter = await createIntermediate(detached, { name: 'PEM-only Intermediate' });
    const x = new X509Certificate(inter.der);
    expect(x.checkIssued(new X509Certificate(ca.der))).toBe(true);
    expect(x.verify(new X509Certificate(ca.der).publicKey)).toBe(true);
  });

  it('writes PEM with a PKCS#8 key and a chain of leaf + intermediate', async () => {
    const leaf = await pki.leaf({ dnsNames: ['pem.example.com'] });
    expect(leaf.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(leaf.chainPem).toBe(leaf.certPem + pki.intermediate.certPem);
    expect(new X509Certificate(leaf.certPem).verify(new X509Certificate(pki.intermediate.certPem).publicKey)).toBe(true);
  });
});
