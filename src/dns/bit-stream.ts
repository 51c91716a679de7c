// Byte-backed bit streams for dns2's codec. dns2 encodes and decodes every DNS message through
// a reader and a writer that keep one array element per *bit* (and its encoders turn the whole
// array into a Buffer again after each part): that measured as a sixth of a scan's CPU time.
// Its codec takes the stream as an argument (Packet#toBuffer(writer), Header/Question/Resource
// .parse(reader)), so we hand it these instead: same interface, same results, bytes underneath.
// The message format itself stays dns2's: every field is still read and written by its code.
import { Packet } from 'dns2';

/** dns2's reader interface: `read(bits)` big-endian from a bit offset it may move (name pointers). */
export class ByteReader {
  /** Position in bits, as dns2 expects (it saves and restores it around compression pointers). */
  offset = 0;
  constructor(private readonly buffer: Buffer) {}

  /** Past the end throws a RangeError and leaves the offset where it was, as dns2's own reader
   *  does: that record is dropped and the next one is read from the same place. */
  read(size: number): number {
    const value = this.peek(this.offset, size);
    this.offset += size;
    return value;
  }

  private peek(at: number, size: number): number {
    if ((at & 7) === 0) {
      const byte = at >>> 3;
      if (size === 8) return this.buffer.readUInt8(byte);
      if (size === 16) return this.buffer.readUInt16BE(byte);
      if (size === 32) return this.buffer.readUInt32BE(byte);
    }
    let value = 0;
    for (let i = 0; i < size; i++) {
      const bit = at + i;
      value = value * 2 + ((this.buffer.readUInt8(bit >>> 3) >>> (7 - (bit & 7))) & 1);
    }
    return value;
  }
}

/**
 * dns2's writer interface, over a growing byte array. Fields are at most 32 bits, and dns2 takes
 * bit k of a value as `value & 2^k` (32-bit integer semantics): `(value >>> k) & 1` is the same bit.
 */
export class ByteWriter {
  /** Name compression offsets; dns2's encoder creates and reads this map itself. */
  names?: Map<string, number>;
  private bytes = Buffer.alloc(512);
  private bits = 0;

  write(value: number, size: number): void {
    this.reserve(size);
    if ((this.bits & 7) === 0 && (size & 7) === 0) {
      for (let shift = size - 8; shift >= 0; shift -= 8) {
        this.bytes[this.bits >>> 3] = (value >>> shift) & 0xff;
        this.bits += 8;
      }
      return;
    }
    for (let shift = size - 1; shift >= 0; shift--) this.setBit(this.bits++, (value >>> shift) & 1);
  }

  /** Overwrites `size` bits at `bitOffset` (dns2 back-fills RDLENGTH this way). */
  patch(bitOffset: number, value: number, size: number): void {
    for (let i = 0; i < size; i++) this.setBit(bitOffset + i, (value >>> (size - i - 1)) & 1);
  }

  bitLength(): number {
    return this.bits;
  }

  byteLength(): number {
    return this.bits / 8;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes.subarray(0, Math.ceil(this.bits / 8)));
  }

  private setBit(bit: number, on: number): void {
    const mask = 0x80 >>> (bit & 7);
    const i = bit >>> 3;
    this.bytes[i] = on ? this.bytes[i]! | mask : this.bytes[i]! & ~mask;
  }

  private reserve(size: number): void {
    const needed = Math.ceil((this.bits + size) / 8);
    if (needed <= this.bytes.length) return;
    const grown = Buffer.alloc(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(grown);
    this.bytes = grown;
  }
}

/** Packet#toBuffer through a ByteWriter. */
export function encodeMessage(packet: Packet): Buffer {
  return (packet.toBuffer as (writer: ByteWriter) => Buffer)(new ByteWriter());
}

type SectionDecoder = { parse(reader: ByteReader): Packet['answers'][number] };

/**
 * Packet.parse through a ByteReader: the same steps as dns2's (its Packet.parse builds its own
 * reader, so it cannot be handed ours): header, then each section with dns2's decoders, a record
 * that fails to decode dropped (callers compare counts), and the RFC 6891 extended RCODE.
 */
export function parseMessage(buffer: Buffer): Packet {
  const reader = new ByteReader(buffer);
  const packet = new Packet();
  const header = (Packet.Header as unknown as { parse(r: ByteReader): Packet['header'] }).parse(reader);
  packet.header = header;
  const sections: Array<['questions' | 'answers' | 'authorities' | 'additionals', SectionDecoder, number]> = [
    ['questions', Packet.Question as unknown as SectionDecoder, header.qdcount],
    ['answers', Packet.Resource as unknown as SectionDecoder, header.ancount],
    ['authorities', Packet.Resource as unknown as SectionDecoder, header.nscount],
    ['additionals', Packet.Resource as unknown as SectionDecoder, header.arcount],
  ];
  for (const [section, decoder, count] of sections) {
    const list = packet[section] as unknown[];
    for (let i = 0; i < count; i++) {
      try {
        list.push(decoder.parse(reader));
      } catch {
        // As dns2: a record it cannot decode is left out.
      }
    }
  }
  const opt = packet.additionals.find((r) => r && r.type === Packet.TYPE.EDNS) as { extendedRcode?: number } | undefined;
  if (opt?.extendedRcode) header.rcode = (opt.extendedRcode << 4) | (header.rcode & 0xf);
  return packet;
}
