// DANE matching against real certificates from the lab PKI. The expected association data is
// computed here with node:crypto (X509Certificate.publicKey.export for SPKI), independently of the
// DER reader src/dane/match.ts uses.
import { createHash, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, createIntermediate, createLabPki, createLeaf, createSelfSigned, type IssuedCert, type LabLeaf, type LabPki } from '../../fixtures/certs.js';
import { chainDer, matchTlsa } from '../../src/dane/match.js';
import type { TlsaRecord } from '../../src/dane/tlsa-record.js';
import { summarizeCertificate } from '../../src/tls/certificate.js';

let pki: LabPki;
let other: LabPki;
let leaf: LabLeaf;
let forged: LabLeaf;
let selfSigned: Buffer;
let sameName: IssuedCert;

beforeAll(async () => {
  pki = await createLabPki();
  other = await createLabPki({ name: 'mxtls Other' });
  leaf = await pki.leaf({ dnsNames: ['mx.example.com'] });
  // Issued by another CA: an attacker who sends the real intermediate along with it.
  forged = await other.leaf({ dnsNames: ['mx.example.com'] });
  selfSigned = (await createSelfSigned({ dnsNames: ['mx.example.com'] })).der;
  // An impostor intermediate with the real one's name but its own key: names alone link up.
  const impostorRoot = await createCa({ name: 'mxtls Lab Root CA', freshKey: true });
  const impostor = await createIntermediate(impostorRoot, { name: 'mxtls Lab Intermediate CA', freshKey: true });
  sameName = await createLeaf(impostor, { dnsNames: ['mx.example.com'], freshKey: true });
});

const NOW = new Date();
const ok = { leafNameMatches: true, now: NOW };

function selected(der: Buffer, selector: number): Buffer {
  return selector === 0 ? der : new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
}

function tlsa(usage: number, selector: number, matchingType: number, der: Buffer): TlsaRecord {
  const bytes = selected(der, selector);
  const data =
    matchingType === 0
      ? bytes.toString('hex')
      : createHash(matchingType === 1 ? 'sha256' : 'sha512').update(bytes).digest('hex');
  return { usage, selector, matchingType, data };
}

/** The same record with the last digit of its data changed. */
function flipped(record: TlsaRecord): TlsaRecord {
  const last = record.data.slice(-1);
  return { ...record, data: record.data.slice(0, -1) + (last === '0' ? '1' : '0') };
}

const sent = (): Buffer[] => [leaf.der, pki.intermediate.der];
const sentWithRoot = (): Buffer[] => [leaf.der, pki.intermediate.der, pki.root.der];

describe('DANE-EE(3): the leaf only', () => {
  it.each([
    [1, 1],
    [0, 1],
    [1, 2],
    [0, 2],
    [0, 0],
    [1, 0],
  ])('3 %d %d on the leaf matches at depth 0', (selector, matchingType) => {
    const r = matchTlsa([tlsa(3, selector, matchingType, leaf.der)], sent(), ok);
    expect(r).toEqual({ usable: 1, matched: true, by: { usage: 3, selector, matchingType, depth: 0 } });
  });

  it('mismatching digest: usable but not matched', () => {
    expect(matchTlsa([flipped(tlsa(3, 1, 1, leaf.der))], sent(), ok)).toEqual({ usable: 1, matched: false });
    expect(matchTlsa([flipped(tlsa(3, 0, 2, leaf.der))], sent(), ok)).toEqual({ usable: 1, matched: false });
  });

  it('selector matters: an SPKI digest in a selector-0 record does not match', () => {
    const spki = tlsa(3, 1, 1, leaf.der);
    expect(matchTlsa([{ ...spki, selector: 0 }], sent(), ok).matched).toBe(false);
  });

  it('matching type matters: a SHA-256 value labelled SHA-512 is unusable (length), not a match', () => {
    const r = matchTlsa([{ ...tlsa(3, 1, 1, leaf.der), matchingType: 2 }], sent(), ok);
    expect(r).toEqual({ usable: 0, matched: false });
  });

  it('3 x x of the intermediate does not match: DANE-EE looks at the leaf only', () => {
    expect(matchTlsa([tlsa(3, 1, 1, pki.intermediate.der)], sent(), ok).matched).toBe(false);
  });

  it('ignores the name and the dates', () => {
    const later = { leafNameMatches: false, now: new Date('2200-01-01T00:00:00Z') };
    expect(matchTlsa([tlsa(3, 1, 1, leaf.der)], sent(), later).matched).toBe(true);
  });

  it('matches a self-signed leaf sent alone', () => {
    expect(matchTlsa([tlsa(3, 1, 1, selfSigned)], [selfSigned], ok).by).toEqual({ usage: 3, selector: 1, matchingType: 1, depth: 0 });
  });

  it('compares hex case-insensitively', () => {
    const r = tlsa(3, 1, 1, leaf.der);
    expect(matchTlsa([{ ...r, data: r.data.toUpperCase() }], sent(), ok).matched).toBe(true);
  });

  it('one matching record among mismatching ones is enough; by names the one that matched', () => {
    const r = matchTlsa([flipped(tlsa(3, 1, 1, leaf.der)), tlsa(3, 0, 1, leaf.der)], sent(), ok);
    expect(r).toEqual({ usable: 2, matched: true, by: { usage: 3, selector: 0, matchingType: 1, depth: 0 } });
  });
});

describe('DANE-TA(2): a trust anchor in the chain the server sent', () => {
  it('2 0 1 on the intermediate matches at depth 1', () => {
    expect(matchTlsa([tlsa(2, 0, 1, pki.intermediate.der)], sent(), ok)).toEqual({
      usable: 1,
      matched: true,
      by: { usage: 2, selector: 0, matchingType: 1, depth: 1 },
    });
  });

  it('2 1 1 on the root matches at depth 2 when the server sends the root', () => {
    expect(matchTlsa([tlsa(2, 1, 1, pki.root.der)], sentWithRoot(), ok).by).toEqual({ usage: 2, selector: 1, matchingType: 1, depth: 2 });
  });

  it('2 1 1 on the root does not match when the server leaves the root out', () => {
    expect(matchTlsa([tlsa(2, 1, 1, pki.root.der)], sent(), ok)).toEqual({ usable: 1, matched: false });
  });

  it('2 0 0 / 2 1 0 carrying the root in full match even when the root is not sent (RFC 7671 §5.2.2)', () => {
    // A certificate from DNS enters the path at its own depth; a bare key authenticates the top
    // certificate it signed, and OpenSSL reports that certificate's depth (check_dane_pkeys).
    expect(matchTlsa([tlsa(2, 0, 0, pki.root.der)], sent(), ok).by).toEqual({ usage: 2, selector: 0, matchingType: 0, depth: 2 });
    expect(matchTlsa([tlsa(2, 1, 0, pki.root.der)], sent(), ok).by).toEqual({ usage: 2, selector: 1, matchingType: 0, depth: 1 });
  });

  it('a full TA record of an unrelated CA does not match', () => {
    expect(matchTlsa([tlsa(2, 0, 0, other.root.der)], sent(), ok)).toEqual({ usable: 1, matched: false });
  });

  it('needs the leaf name check: a TA match with a wrong name fails', () => {
    const r = matchTlsa([tlsa(2, 0, 1, pki.intermediate.der)], sent(), { leafNameMatches: false, now: NOW });
    expect(r).toEqual({ usable: 1, matched: false, taFailure: 'name-mismatch' });
  });

  it('never matches the leaf itself (depth 0)', () => {
    expect(matchTlsa([tlsa(2, 1, 1, leaf.der)], sent(), ok)).toEqual({ usable: 1, matched: false });
    expect(matchTlsa([tlsa(2, 1, 1, selfSigned)], [selfSigned], ok).matched).toBe(false);
  });

  it('a forged leaf sent with the real intermediate does not match: the intermediate did not issue it', () => {
    const r = matchTlsa([tlsa(2, 0, 1, pki.intermediate.der)], [forged.der, pki.intermediate.der], ok);
    expect(r).toEqual({ usable: 1, matched: false });
  });

  it('a leaf from an impostor CA with the same issuer name does not match: key identifiers differ', () => {
    const r = matchTlsa([tlsa(2, 0, 1, pki.intermediate.der)], [sameName.der, pki.intermediate.der], ok);
    expect(r).toEqual({ usable: 1, matched: false });
  });

  it('a leaf whose signature bytes were altered does not match (names and key ids still link up)', () => {
    const tampered = Buffer.from(leaf.der);
    tampered[tampered.length - 1]! ^= 0x01;
    expect(new X509Certificate(tampered).checkIssued(new X509Certificate(pki.intermediate.der))).toBe(true);
    const r = matchTlsa([tlsa(2, 0, 1, pki.intermediate.der)], [tampered, pki.intermediate.der], ok);
    expect(r).toEqual({ usable: 1, matched: false, taFailure: 'chain-invalid' });
  });

  it('checks the dates of the path (unlike DANE-EE)', () => {
    const r = matchTlsa([tlsa(2, 0, 1, pki.intermediate.der)], sent(), { leafNameMatches: true, now: new Date('2200-01-01T00:00:00Z') });
    expect(r).toEqual({ usable: 1, matched: false, taFailure: 'expired' });
    const before = matchTlsa([tlsa(2, 0, 1, pki.intermediate.der)], sent(), { leafNameMatches: true, now: new Date('2000-01-01T00:00:00Z') });
    expect(before.taFailure).toBe('expired');
  });

  it('mismatching TA digest: no match, no TA failure', () => {
    expect(matchTlsa([flipped(tlsa(2, 0, 1, pki.intermediate.der))], sent(), ok)).toEqual({ usable: 1, matched: false });
  });

  it('a DANE-EE match wins over a failing DANE-TA record', () => {
    const r = matchTlsa([tlsa(2, 0, 1, pki.intermediate.der), tlsa(3, 1, 1, leaf.der)], sent(), { leafNameMatches: false, now: NOW });
    expect(r).toEqual({ usable: 2, matched: true, by: { usage: 3, selector: 1, matchingType: 1, depth: 0 } });
  });
});

describe('unusable records are ignored', () => {
  it.each([
    ['PKIX-TA(0) on the intermediate', () => tlsa(0, 0, 1, pki.intermediate.der)],
    ['PKIX-EE(1) on the leaf', () => tlsa(1, 1, 1, leaf.der)],
    ['usage 4 on the leaf', () => tlsa(4, 1, 1, leaf.der)],
    ['selector 2', () => ({ ...tlsa(3, 1, 1, leaf.der), selector: 2 })],
    ['matching type 3', () => ({ ...tlsa(3, 1, 1, leaf.der), matchingType: 3 })],
  ])('%s: usable 0, not matched', (_name, make) => {
    expect(matchTlsa([make()], sentWithRoot(), ok)).toEqual({ usable: 0, matched: false });
  });

  it('counts only the usable records', () => {
    expect(matchTlsa([tlsa(1, 1, 1, leaf.der), flipped(tlsa(3, 1, 1, leaf.der))], sent(), ok)).toEqual({ usable: 1, matched: false });
  });
});

describe('garbage in, no throw', () => {
  it('an empty chain matches nothing', () => {
    expect(matchTlsa([tlsa(3, 1, 1, leaf.der)], [], ok)).toEqual({ usable: 1, matched: false });
  });

  it('an empty RRset matches nothing', () => {
    expect(matchTlsa([], sent(), ok)).toEqual({ usable: 0, matched: false });
  });

  it('certificates that are not DER do not match SPKI records and do not throw', () => {
    const junk = [Buffer.from('not a certificate'), Buffer.alloc(0), Buffer.from([0x30, 0x82, 0xff, 0xff])];
    const records = [tlsa(3, 1, 1, leaf.der), tlsa(2, 1, 1, pki.intermediate.der), tlsa(2, 0, 0, pki.root.der)];
    expect(matchTlsa(records, junk, ok)).toEqual({ usable: 3, matched: false });
    expect(matchTlsa(records, [leaf.der, ...junk], ok)).toMatchObject({ matched: true, by: { usage: 3 } });
  });

  it('a 2 0 0 record whose data is a DER SEQUENCE but not a certificate is unusable (OpenSSL refuses to load it)', () => {
    expect(matchTlsa([{ usage: 2, selector: 0, matchingType: 0, data: '3003020101' }], sent(), ok)).toEqual({ usable: 0, matched: false });
  });
});

describe('CertificateSummary.der and chainDer', () => {
  it('the summary keeps the DER, and chainDer gives it back for matching', () => {
    const chain = sent().map((der) => summarizeCertificate(der));
    expect(chain[0]!.der).toBe(leaf.der.toString('base64'));
    const ders = chainDer(chain);
    expect(ders?.map((b) => b.toString('hex'))).toEqual(sent().map((b) => b.toString('hex')));
    expect(matchTlsa([tlsa(2, 0, 1, pki.intermediate.der)], ders!, ok).matched).toBe(true);
  });

  it('undefined when any certificate lacks its DER, or the chain is empty', () => {
    const chain = sent().map((der) => summarizeCertificate(der));
    delete chain[1]!.der;
    expect(chainDer(chain)).toBeUndefined();
    expect(chainDer([])).toBeUndefined();
  });
});
