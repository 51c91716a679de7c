import { describe, expect, it } from 'vitest';
import {
  formatTlsa,
  isUsableForSmtp,
  parseTlsaRdata,
  tlsaFromRdata,
  tlsaParams,
  tlsaUsability,
  type TlsaRecord,
} from '../../src/dane/tlsa-record.js';

const bytes = (...parts: Array<number | Uint8Array>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...p])));
const fill = (n: number, v = 0xab): Uint8Array => new Uint8Array(n).fill(v);
const hex = (n: number, v = 'ab'): string => v.repeat(n);
const rec = (usage: number, selector: number, matchingType: number, data: string): TlsaRecord => ({ usage, selector, matchingType, data });
/** A minimal DER SEQUENCE: the right shape for a Full(0) record, but no certificate or key. */
const SEQ = '3003020101';

describe('parseTlsaRdata', () => {
  it.each([
    ['3 1 1 + 32 octets', bytes(3, 1, 1, fill(32)), rec(3, 1, 1, hex(32))],
    ['2 0 2 + 64 octets', bytes(2, 0, 2, fill(64, 0x01)), rec(2, 0, 2, hex(64, '01'))],
    ['unknown values are kept', bytes(255, 7, 9, 0xde, 0xad), rec(255, 7, 9, 'dead')],
    ['one data octet', bytes(3, 1, 0, 0x00), rec(3, 1, 0, '00')],
  ])('parses %s', (_name, rdata, record) => {
    expect(parseTlsaRdata(rdata)).toEqual({ ok: true, record });
  });

  it.each([
    ['empty', bytes()],
    ['usage only', bytes(3)],
    ['usage and selector', bytes(3, 1)],
    ['no association data', bytes(3, 1, 1)],
    ['over 65535 octets', bytes(3, 1, 1, fill(65533))],
  ])('rejects %s', (_name, rdata) => {
    const r = parseTlsaRdata(rdata);
    expect(r.ok).toBe(false);
  });

  it('rejects something that is not bytes without throwing', () => {
    expect(parseTlsaRdata('3 1 1 ab' as unknown as Uint8Array).ok).toBe(false);
  });

  it('data is lower-case hex of exactly the bytes after the three fields', () => {
    const r = parseTlsaRdata(bytes(3, 1, 1, 0xff, 0x00, 0x10));
    expect(r).toEqual({ ok: true, record: rec(3, 1, 1, 'ff0010') });
  });
});

describe('tlsaUsability for SMTP (RFC 7672 §3.1)', () => {
  it.each([
    ['3 1 1', rec(3, 1, 1, hex(32)), { usable: true }],
    ['3 0 1', rec(3, 0, 1, hex(32)), { usable: true }],
    ['3 1 2', rec(3, 1, 2, hex(64)), { usable: true }],
    ['2 0 1', rec(2, 0, 1, hex(32)), { usable: true }],
    ['2 1 2', rec(2, 1, 2, hex(64)), { usable: true }],
    // A SEQUENCE that is no certificate or key: SSL_dane_tlsa_add refuses it.
    ['3 0 0 (a DER SEQUENCE, not a certificate)', rec(3, 0, 0, SEQ), { usable: false, reason: 'bad-full-data' }],
    ['2 1 0 (a DER SEQUENCE, not a key)', rec(2, 1, 0, SEQ), { usable: false, reason: 'bad-full-data' }],
    ['0 0 1 PKIX-TA', rec(0, 0, 1, hex(32)), { usable: false, reason: 'pkix-usage' }],
    ['1 1 1 PKIX-EE', rec(1, 1, 1, hex(32)), { usable: false, reason: 'pkix-usage' }],
    ['4 1 1', rec(4, 1, 1, hex(32)), { usable: false, reason: 'unknown-usage' }],
    ['255 1 1 PrivCert', rec(255, 1, 1, hex(32)), { usable: false, reason: 'unknown-usage' }],
    ['3 2 1', rec(3, 2, 1, hex(32)), { usable: false, reason: 'unknown-selector' }],
    ['3 255 1', rec(3, 255, 1, hex(32)), { usable: false, reason: 'unknown-selector' }],
    ['3 1 3', rec(3, 1, 3, hex(32)), { usable: false, reason: 'unknown-matching-type' }],
    ['3 1 255', rec(3, 1, 255, hex(32)), { usable: false, reason: 'unknown-matching-type' }],
    ['3 1 1 with 31 octets', rec(3, 1, 1, hex(31)), { usable: false, reason: 'bad-digest-length' }],
    ['3 1 1 with 64 octets', rec(3, 1, 1, hex(64)), { usable: false, reason: 'bad-digest-length' }],
    ['3 1 2 with 32 octets', rec(3, 1, 2, hex(32)), { usable: false, reason: 'bad-digest-length' }],
    ['3 0 0 not DER', rec(3, 0, 0, 'abcd'), { usable: false, reason: 'bad-full-data' }],
    ['3 0 0 DER with trailing bytes', rec(3, 0, 0, SEQ + '00'), { usable: false, reason: 'bad-full-data' }],
    ['3 1 1 upper-case hex', rec(3, 1, 1, hex(32, 'AB')), { usable: true }],
    ['3 1 1 odd number of hex digits', rec(3, 1, 1, hex(32) + 'a'), { usable: false, reason: 'bad-data' }],
    ['3 1 1 empty data', rec(3, 1, 1, ''), { usable: false, reason: 'bad-data' }],
    ['3 1 1 non-hex data', rec(3, 1, 1, 'zz'.repeat(32)), { usable: false, reason: 'bad-data' }],
  ])('%s', (_name, record, expected) => {
    expect(tlsaUsability(record)).toEqual(expected);
    expect(isUsableForSmtp(record)).toBe(expected.usable);
  });
});

describe('an RRset for SMTP', () => {
  const reasons = (records: TlsaRecord[]) => records.map((r) => tlsaUsability(r)).map((u) => (u.usable ? 'usable' : u.reason));

  it('only unusable records: none usable, each with its reason (dane falls back to encrypt, not may)', () => {
    const records = [rec(1, 1, 1, hex(32)), rec(3, 1, 9, hex(32))];
    expect(records.filter(isUsableForSmtp)).toEqual([]);
    expect(reasons(records)).toEqual(['pkix-usage', 'unknown-matching-type']);
  });

  it('one usable record among unusable ones: that one counts', () => {
    const good = rec(3, 1, 1, hex(32));
    const records = [rec(0, 0, 1, hex(32)), good];
    expect(records.filter(isUsableForSmtp)).toEqual([good]);
    expect(reasons(records).filter((r) => r !== 'usable')).toHaveLength(1);
  });

  it('malformed RDATA still means "TLSA present": a record, unusable, not none', () => {
    const malformed = tlsaFromRdata(bytes(3, 1));
    expect(malformed).toMatchObject({ usage: 3, selector: 1, matchingType: 255, data: '' });
    expect(isUsableForSmtp(malformed)).toBe(false);
    const mixed = [tlsaFromRdata(bytes(3)), tlsaFromRdata(bytes(3, 1, 1, fill(32)))];
    expect(mixed.filter(isUsableForSmtp)).toHaveLength(1);
  });
});

describe('formatTlsa', () => {
  it('prints the zone-file form', () => {
    expect(formatTlsa(rec(3, 1, 1, 'abcdef'))).toBe('3 1 1 ABCDEF');
  });
});

describe('tlsaParams', () => {
  it('names DANE usages by their RFC 7218 acronym, others by number', () => {
    expect(tlsaParams(rec(3, 1, 1, 'ab'))).toBe('DANE-EE 3 1 1');
    expect(tlsaParams(rec(2, 0, 2, 'ab'))).toBe('DANE-TA 2 0 2');
    expect(tlsaParams(rec(1, 1, 1, 'ab'))).toBe('1 1 1 1');
  });
});
