// A small, bounded DER reader: just enough to pull the few certificate fields that Node 20's
// X509Certificate does not expose faithfully (signature algorithm, raw dNSName bytes, subject
// CNs, the SPKI bytes). It never throws: every malformed input yields `undefined`, and every
// length is checked against the end of the enclosing element, so a hostile certificate cannot
// make it read outside the buffer or loop for long.

/** One TLV element. Offsets are absolute positions in the buffer it was read from. */
export interface DerNode {
  /** The identifier octet (class, constructed bit and tag number; low-tag-number form only). */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the last content octet. */
  end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag number n, constructed ([n] EXPLICIT) or primitive ([n] IMPLICIT). */
export const contextTag = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n;

/** Upper bound on elements visited in one `children` call; certificates have a few dozen. */
const MAX_CHILDREN = 1024;

/** Reads the element at `offset`, which must end at or before `limit` (default: buffer end). */
export function readNode(buf: Uint8Array, offset: number, limit: number = buf.length): DerNode | undefined {
  const end = Math.min(limit, buf.length);
  if (offset < 0 || offset + 2 > end) return undefined;
  const tag = buf[offset]!;
  // High-tag-number form (0x1f): never used by the X.509 fields we read.
  if ((tag & 0x1f) === 0x1f) return undefined;
  const first = buf[offset + 1]!;
  let pos = offset + 2;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length (not DER); more than 4 length octets is absurd here.
    if (count === 0 || count > 4 || pos + count > end) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos + i]!;
    pos += count;
  }
  if (length > end - pos) return undefined;
  return { tag, start: offset, contentStart: pos, end: pos + length };
}

/**
 * The elements inside a constructed node, in order; undefined if any is malformed or there are
 * more than `max`. Every element takes at least two bytes, so the work is bounded by the
 * node's length whatever `max` is; a list whose size matters (subjectAltName: a CDN
 * certificate carries thousands of names) passes Infinity rather than be cut off.
 */
export function children(buf: Uint8Array, node: DerNode, max: number = MAX_CHILDREN): DerNode[] | undefined {
  if ((node.tag & 0x20) === 0) return undefined;
  const out: DerNode[] = [];
  let pos = node.contentStart;
  while (pos < node.end) {
    if (out.length >= max) return undefined;
    const child = readNode(buf, pos, node.end);
    if (!child) return undefined;
    out.push(child);
    pos = child.end;
  }
  return out;
}

export function content(buf: Uint8Array, node: DerNode): Uint8Array {
  return buf.subarray(node.contentStart, node.end);
}

/** The whole element, header included (e.g. the SubjectPublicKeyInfo DER for hashing). */
export function element(buf: Uint8Array, node: DerNode): Uint8Array {
  return buf.subarray(node.start, node.end);
}

/** Dotted form of an OBJECT IDENTIFIER's content; undefined when malformed. */
export function decodeOid(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || bytes.length > 64) return undefined;
  const arcs: number[] = [];
  let value = 0;
  let inArc = false;
  for (const byte of bytes) {
    // Arcs beyond 2^53 cannot be represented exactly; no OID we care about comes close.
    if (value > Number.MAX_SAFE_INTEGER / 128) return undefined;
    value = value * 128 + (byte & 0x7f);
    inArc = (byte & 0x80) !== 0;
    if (!inArc) {
      arcs.push(value);
      value = 0;
    }
  }
  if (inArc) return undefined;
  const head = arcs[0]!;
  const first = head < 40 ? 0 : head < 80 ? 1 : 2;
  return [first, head - first * 40, ...arcs.slice(1)].join('.');
}

/** The node's OID when it is one. */
export function readOid(buf: Uint8Array, node: DerNode | undefined): string | undefined {
  return node && node.tag === TAG.OID ? decodeOid(content(buf, node)) : undefined;
}

/**
 * Text of a directory string, decoded by its ASN.1 type. Byte-oriented types map each byte to
 * one code point (latin1), so control bytes and NULs survive for the name checks to reject.
 */
export function decodeString(buf: Uint8Array, node: DerNode): string | undefined {
  const bytes = Buffer.from(content(buf, node));
  switch (node.tag) {
    case TAG.UTF8_STRING:
      return bytes.toString('utf8');
    case TAG.PRINTABLE_STRING:
    case TAG.T61_STRING:
    case TAG.IA5_STRING:
      return bytes.toString('latin1');
    case TAG.BMP_STRING: {
      if (bytes.length % 2 !== 0) return undefined;
      return Buffer.from(bytes).swap16().toString('utf16le');
    }
    case TAG.UNIVERSAL_STRING: {
      if (bytes.length % 4 !== 0) return undefined;
      let s = '';
      for (let i = 0; i < bytes.length; i += 4) {
        const cp = bytes.readUInt32BE(i);
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      return undefined;
  }
}
