import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, createLabPki, type LabPki } from '../../fixtures/certs.js';
import { summarizeCertificate } from '../../src/tls/certificate.js';
import { loadTrustStore, splitPem, trustVerdict } from '../../src/tls/trust.js';
import type { CertificateSummary } from '../../src/types.js';

const cert = (over: Partial<CertificateSummary>): CertificateSummary => ({
  subject: 'CN=x',
  subjectCN: ['x'],
  dnsNames: [],
  issuer: 'CN=y',
  serialNumber: '01',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  keyType: 'rsa',
  signatureAlgorithm: 'sha256WithRSAEncryption',
  sha256Fingerprint: 'aa',
  spkiSha256: 'bb',
  selfIssued: false,
  isCA: false,
  ...over,
});
const leaf = cert({});
const selfIssuedLeaf = cert({ selfIssued: true, issuer: 'CN=x' });
const intermediate = cert({ isCA: true, subject: 'CN=y', issuer: 'CN=z' });

describe('trustVerdict', () => {
  it.each([
    // [authorizationError, chain, verdict]
    [null, [leaf, intermediate], 'trusted'],
    [undefined, [leaf], 'trusted'],
    ['', [leaf], 'trusted'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', [selfIssuedLeaf], 'self-signed'],
    ['SELF_SIGNED_CERT_IN_CHAIN', [leaf, intermediate], 'unknown-issuer'],
    ['CERT_HAS_EXPIRED', [leaf, intermediate], 'expired'],
    ['CERT_NOT_YET_VALID', [leaf, intermediate], 'not-yet-valid'],
    ['CERT_SIGNATURE_FAILURE', [leaf, intermediate], 'bad-signature'],
    // a lone leaf that is not self-issued: the intermediate was left out
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', [leaf], 'incomplete-chain'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', [leaf], 'incomplete-chain'],
    ['UNABLE_TO_GET_ISSUER_CERT', [leaf], 'incomplete-chain'],
    // the server sent more than the leaf, or a self-issued one: the CA itself is unknown
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', [leaf, intermediate], 'unknown-issuer'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', [selfIssuedLeaf], 'unknown-issuer'],
    ['UNABLE_TO_GET_ISSUER_CERT', [], 'unknown-issuer'],
    ['INVALID_CA', [leaf, intermediate], 'other'],
    ['toString', [leaf], 'other'],
    ['__proto__', [leaf], 'other'],
  ] as const)('%s with %#', (code, chain, verdict) => {
    const result = trustVerdict(code, [...chain]);
    expect(result.verdict).toBe(verdict);
    expect(result.trusted).toBe(verdict === 'trusted');
    if (verdict === 'trusted') expect(result.code).toBeUndefined();
    else expect(result.code).toBe(code);
  });
});

describe('loadTrustStore', () => {
  let dir: string;
  let pki: LabPki;
  let otherPem: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mxtls-trust-'));
    pki = await createLabPki();
    otherPem = (await createCa({ name: 'Trust Test Other CA' })).certPem;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fp = (pem: string): string => summarizeCertificate(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')).sha256Fingerprint;

  it('reads every certificate of a CA file bundle, and only those', () => {
    const file = join(dir, 'bundle.pem');
    writeFileSync(file, `# comment\r\n${pki.root.certPem.replace(/\n/g, '\r\n')}junk\n${otherPem}${pki.root.keyPem}`);
    const store = loadTrustStore({ caFile: file });
    expect(store.ca.map(fp)).toEqual([fp(pki.root.certPem), fp(otherPem)]);
    expect(store.source).toBe(`CA file ${file} (2 certificates)`);
  });

  it('reads a CA path: *.pem, *.crt and hashed names, following links, skipping the rest', () => {
    const caPath = join(dir, 'capath');
    mkdirSync(caPath);
    writeFileSync(join(caPath, 'root.pem'), pki.root.certPem);
    writeFileSync(join(caPath, 'other.crt'), otherPem);
    symlinkSync(join(caPath, 'root.pem'), join(caPath, '1a2b3c4d.0'));
    writeFileSync(join(caPath, 'intermediate.txt'), pki.intermediate.certPem);
    mkdirSync(join(caPath, 'sub.pem'));
    symlinkSync(join(caPath, 'missing.pem'), join(caPath, 'dangling.pem'));
    const store = loadTrustStore({ caPath });
    expect(store.ca.map(fp).sort()).toEqual([fp(pki.root.certPem), fp(otherPem)].sort());
    expect(store.source).toContain(`CA path ${caPath}`);
  });

  it('combines a CA file and a CA path', () => {
    const file = join(dir, 'one.pem');
    writeFileSync(file, pki.intermediate.certPem);
    const caPath = join(dir, 'capath2');
    mkdirSync(caPath);
    writeFileSync(join(caPath, 'root.pem'), pki.root.certPem);
    const store = loadTrustStore({ caFile: file, caPath });
    expect(store.ca).toHaveLength(2);
    expect(store.source).toBe(`CA file ${file} (1 certificate) + CA path ${caPath} (1 certificate)`);
  });

  it('refuses a CA file that is missing or holds no certificate', () => {
    expect(() => loadTrustStore({ caFile: join(dir, 'nope.pem') })).toThrow();
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, 'nothing here\n');
    expect(() => loadTrustStore({ caFile: empty })).toThrow(/no PEM certificate/);
  });

  it('uses the system bundle by default when it exists', () => {
    const bundle = join(dir, 'system.crt');
    writeFileSync(bundle, pki.root.certPem + otherPem);
    const store = loadTrustStore({}, bundle);
    expect(store.ca).toHaveLength(2);
    expect(store.source).toBe(`system bundle ${bundle} (2 certificates)`);
  });

  it("falls back to Node's root certificates without a system bundle", () => {
    const store = loadTrustStore({}, join(dir, 'no-such-bundle.crt'));
    expect(store.ca).toEqual([...rootCertificates]);
    expect(store.source).toMatch(/^Node's built-in root certificates/);
  });
});

describe('splitPem', () => {
  it('re-wraps each certificate canonically and drops what is not one', async () => {
    const pki = await createLabPki();
    const squashed = pki.root.certPem.replace(/\n(?!-----END)/g, '').replace('-----BEGIN CERTIFICATE-----', '-----BEGIN CERTIFICATE-----\n');
    const out = splitPem(`${squashed}\n-----BEGIN CERTIFICATE-----\n!!!notbase64!!!\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`);
    expect(out).toEqual([pki.root.certPem]);
  });
});
