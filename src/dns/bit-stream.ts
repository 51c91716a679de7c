// A byte-backed bit stream for dns2's decoder. dns2 decodes every DNS message through a reader
// that keeps one array element per *bit*: that measured as a sixth of a scan's CPU time. Its
// decoders take the stream as an argument (Header/Question/Resource.parse(reader)), so we hand
// them this instead: same interface, same results, bytes underneath. The message format itself
// stays dns2's: every field is still read by its code. (Queries are written by query-message.ts.)
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
