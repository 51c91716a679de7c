import { describe, expect, it } from 'vitest';
import { children, decodeOid, decodeString, readNode, TAG } from '../../src/tls/der.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('readNode', () => {
  it.each([
    ['short length', bytes(0x04, 0x02, 0xaa, 0xbb), { tag: 0x04, contentStart: 2, end: 4 }],
    ['long length (1 octet)', bytes(0x04, 0x81, 0x01, 0xaa), { tag: 0x04, contentStart: 3, end: 4 }],
    ['long length (2 octets)', Uint8Array.from([0x04, 0x82, 0x01, 0x00, ...new Array<number>(256).fill(0)]), { tag: 0x04, contentStart: 4, end: 260 }],
    ['zero length', bytes(0x05, 0x00), { tag: 0x05, contentStart: 2, end: 2 }],
  ])('reads %s', (_name, input, want) => {
    expect(readNode(input, 0)).toMatchObject(want);
  });

  it.each([
    ['a length beyond the buffer', bytes(0x04, 0x05, 0xaa)],
    ['a long length beyond the buffer', bytes(0x04, 0x82, 0xff, 0xff, 0x00)],
    ['indefinite length (BER only)', bytes(0x30, 0x80, 0x00, 0x00)],
    ['more than 4 length octets', bytes(0x04, 0x85, 0, 0, 0, 0, 1, 0xaa)],
    ['length octets cut off', bytes(0x04, 0x82, 0x01)],
    ['a high tag number', bytes(0x1f, 0x01, 0x00)],
    ['a lone tag', bytes(0x30)],
    ['an empty buffer', bytes()],
  ])('rejects %s', (_name, input) => {
    expect(readNode(input, 0)).toBeUndefined();
  });

  it('respects the enclosing limit, not just the buffer end', () => {
    const buf = bytes(0x04, 0x02, 0xaa, 0xbb);
    expect(readNode(buf, 0, 3)).toBeUndefined();
  });

  it('rejects a negative or out-of-range offset', () => {
    expect(readNode(bytes(0x04, 0x00), -1)).toBeUndefined();
    expect(readNode(bytes(0x04, 0x00), 5)).toBeUndefined();
  });
});

describe('children', () => {
  it('lists the elements of a sequence', () => {
    const seq = bytes(0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0x07);
    const kids = children(seq, readNode(seq, 0)!);
    expect(kids?.map((k) => k.tag)).toEqual([TAG.INTEGER, TAG.OCTET_STRING]);
  });

  it('fails when a child overruns its parent', () => {
    // The inner OCTET STRING claims 5 bytes but the sequence holds only 3 after its header.
    const seq = bytes(0x30, 0x04, 0x04, 0x05, 0xaa, 0xbb, 0xcc, 0xdd, 0xee);
    expect(children(seq, readNode(seq, 0)!)).toBeUndefined();
  });

  it('refuses to descend into a primitive element', () => {
    const prim = bytes(0x04, 0x02, 0x30, 0x00);
    expect(children(prim, readNode(prim, 0)!)).toBeUndefined();
  });

  it('stops at a bounded number of children', () => {
    const inner = new Array<number>(2000).fill(0).flatMap(() => [0x05, 0x00]); // 2000 NULLs
    const seq = Uint8Array.from([0x30, 0x82, (inner.length >> 8) & 0xff, inner.length & 0xff, ...inner]);
    expect(children(seq, readNode(seq, 0)!)).toBeUndefined();
  });

  it('reads every child when the caller lifts the cap (a subjectAltName list)', () => {
    const inner = new Array<number>(2000).fill(0).flatMap(() => [0x05, 0x00]); // 2000 NULLs
    const seq = Uint8Array.from([0x30, 0x82, (inner.length >> 8) & 0xff, inner.length & 0xff, ...inner]);
    expect(children(seq, readNode(seq, 0)!, Infinity)).toHaveLength(2000);
    expect(children(seq, readNode(seq, 0)!, 1999)).toBeUndefined();
  });
});

describe('decodeOid', () => {
  it.each([
    [[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b], '1.2.840.113549.1.1.11'],
    [[0x55, 0x1d, 0x11], '2.5.29.17'],
    [[0x2b, 0x65, 0x70], '1.3.101.112'],
    [[0x88, 0x37, 0x03], '2.999.3'],
  ])('decodes %j as %s', (input, want) => {
    expect(decodeOid(Uint8Array.from(input))).toBe(want);
  });

  it('rejects an empty or unterminated OID', () => {
    expect(decodeOid(bytes())).toBeUndefined();
    expect(decodeOid(bytes(0x2a, 0x86))).toBeUndefined();
  });
});

describe('decodeString', () => {
  const node = (tag: number, body: number[]) => {
    const buf = Uint8Array.from([tag, body.length, ...body]);
    return decodeString(buf, readNode(buf, 0)!);
  };
  it('keeps every byte of byte-oriented strings, NUL and newline included', () => {
    expect(node(TAG.IA5_STRING, [0x61, 0x00, 0x0a, 0xff])).toBe('a\u0000\n\u00ff');
    expect(node(TAG.PRINTABLE_STRING, [0x41, 0x42])).toBe('AB');
  });
  it('decodes UTF8String and BMPString', () => {
    expect(node(TAG.UTF8_STRING, [0xc3, 0xa4])).toBe('ä');
    expect(node(TAG.BMP_STRING, [0x00, 0x41, 0x00, 0xe4])).toBe('Aä');
    expect(node(TAG.BMP_STRING, [0x00])).toBeUndefined();
  });
  it('gives up on other types', () => {
    expect(node(TAG.OCTET_STRING, [0x41])).toBeUndefined();
  });
});
