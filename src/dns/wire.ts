// DNS messages on the wire without dns2's bit-level reader and writer, which measured as about
// a sixth of a scan's CPU time: our one query shape is written byte by byte, and the common
// replies (records of the types below) are read into dns2's own Packet objects, exactly as
// Packet.parse would build them. Anything else is left to Packet.parse.
import { Packet } from 'dns2';

/** DNS Flag Day 2020's advice: small enough that UDP replies are not IP-fragmented. */
const EDNS_UDP_PAYLOAD = 1232;
/** The OPT TTL is ext-RCODE(8) | version(8) | DO(1) | Z(15): DO is bit 15 of the 32. */
const EDNS_DO_FLAG = 0x8000;
const FLAG_RD = 0x0100;
const FLAG_CD = 0x0010;
const HEADER_BYTES = 12;
const MAX_LABEL = 63;
const MAX_NAME = 255;
const TYPE_OPT = 41;

/** A query with RD=1 and an EDNS0 OPT record asking for DNSSEC data (DO=1), so the AD bit means something. */
export function buildQuery(name: string, type: number, id: number, checkingDisabled = false): Buffer {
  // As dns2 encodes names: empty labels (a trailing dot) dropped, each character one octet.
  const labels = name.split('.').filter((label) => label.length > 0);
  let nameBytes = 1; // the root label
  for (const label of labels) {
    if (label.length > MAX_LABEL) throw new Error(`label "${label}" is ${label.length} octets (max ${MAX_LABEL})`);
    nameBytes += label.length + 1;
  }
  if (nameBytes > MAX_NAME) throw new Error(`name encodes to ${nameBytes} octets (max ${MAX_NAME})`);
  const wire = Buffer.alloc(HEADER_BYTES + nameBytes + 4 + 11);
  wire.writeUInt16BE(id, 0);
  wire.writeUInt16BE(FLAG_RD | (checkingDisabled ? FLAG_CD : 0), 2);
  wire.writeUInt16BE(1, 4); // QDCOUNT
  wire.writeUInt16BE(1, 10); // ARCOUNT: the OPT record
  let at = HEADER_BYTES;
  for (const label of labels) {
    wire[at++] = label.length;
    at += wire.write(label, at, 'latin1');
  }
  at++; // root
  at = wire.writeUInt16BE(type, at);
  at = wire.writeUInt16BE(Packet.CLASS.IN, at);
  // OPT: root owner, TYPE 41, CLASS = our UDP payload size, TTL = flags, no options.
  at++;
  at = wire.writeUInt16BE(TYPE_OPT, at);
  at = wire.writeUInt16BE(EDNS_UDP_PAYLOAD, at);
  wire.writeUInt32BE(EDNS_DO_FLAG, at);
  return wire;
}

/** Thrown inside the fast reader when the message needs dns2's general decoder. */
class NotFastPath extends Error {}

/** Reads a possibly compressed name at `offset`; returns it and the offset after it. */
function readName(msg: Buffer, offset: number): [string, number] {
  const labels: string[] = [];
  let at = offset;
  let after = -1;
  let octets = 1;
  const visited = new Set<number>();
  for (;;) {
    if (at >= msg.length) throw new NotFastPath();
    const len = msg[at]!;
    if (len === 0) {
      at++;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= msg.length) throw new NotFastPath();
      const target = ((len & 0x3f) << 8) | msg[at + 1]!;
      if (visited.has(target)) throw new NotFastPath();
      visited.add(target);
      if (after === -1) after = at + 2;
      at = target;
      continue;
    }
    if (len & 0xc0 || len > MAX_LABEL) throw new NotFastPath();
    octets += len + 1;
    if (octets > MAX_NAME || at + 1 + len > msg.length) throw new NotFastPath();
    labels.push(msg.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  return [labels.join('.'), after === -1 ? at : after];
}

function need(msg: Buffer, offset: number, bytes: number): void {
  if (offset + bytes > msg.length) throw new NotFastPath();
}

/** RDATA of the record types the fast path knows, set on `rr` as dns2's decoders set them. */
function readRdata(msg: Buffer, rr: Record<string, unknown>, type: number, start: number, length: number): void {
  let end = start;
  switch (type) {
    case Packet.TYPE.A: {
      const parts: number[] = [];
      for (let i = 0; i < length; i++) parts.push(msg[start + i]!);
      rr.address = parts.join('.');
      end = start + length;
      break;
    }
    case Packet.TYPE.AAAA: {
      if (length % 2 !== 0) throw new NotFastPath();
      const words: number[] = [];
      for (let i = 0; i < length; i += 2) words.push(msg.readUInt16BE(start + i));
      rr.address = Packet.toIPv6(words);
      end = start + length;
      break;
    }
    case Packet.TYPE.CNAME:
      [rr.domain, end] = readName(msg, start);
      break;
    case Packet.TYPE.NS:
      [rr.ns, end] = readName(msg, start);
      break;
    case Packet.TYPE.MX:
      need(msg, start, 2);
      rr.priority = msg.readUInt16BE(start);
      [rr.exchange, end] = readName(msg, start + 2);
      break;
    case Packet.TYPE.SOA: {
      [rr.primary, end] = readName(msg, start);
      [rr.admin, end] = readName(msg, end);
      need(msg, end, 20);
      rr.serial = msg.readUInt32BE(end);
      rr.refresh = msg.readUInt32BE(end + 4);
      rr.retry = msg.readUInt32BE(end + 8);
      rr.expiration = msg.readUInt32BE(end + 12);
      rr.minimum = msg.readUInt32BE(end + 16);
      end += 20;
      break;
    }
    case TYPE_OPT: {
      // EDNS options are rare in replies to us; dns2 decodes them.
      if (length !== 0) throw new NotFastPath();
      const ttl = rr.ttl as number;
      rr.extendedRcode = (ttl >>> 24) & 0xff;
      rr.version = (ttl >>> 16) & 0xff;
      rr.doFlag = !!(ttl & 0x8000);
      rr.rdata = [];
      break;
    }
    default:
      throw new NotFastPath();
  }
  // dns2 reads known types without regard to RDLENGTH; a record that disagrees is odd enough
  // to leave to it, so both readers always agree.
  if (end !== start + length) throw new NotFastPath();
}

function readMessage(msg: Buffer): Packet {
  need(msg, 0, HEADER_BYTES);
  const flags = msg.readUInt16BE(2);
  const header = Object.assign(new Packet.Header(), {
    id: msg.readUInt16BE(0),
    qr: flags >>> 15,
    opcode: (flags >>> 11) & 0xf,
    aa: (flags >>> 10) & 1,
    tc: (flags >>> 9) & 1,
    rd: (flags >>> 8) & 1,
    ra: (flags >>> 7) & 1,
    z: (flags >>> 6) & 1,
    ad: (flags >>> 5) & 1,
    cd: (flags >>> 4) & 1,
    rcode: flags & 0xf,
    qdcount: msg.readUInt16BE(4),
    ancount: msg.readUInt16BE(6),
    nscount: msg.readUInt16BE(8),
    arcount: msg.readUInt16BE(10),
  });
  const packet = new Packet();
  packet.header = header;
  let at = HEADER_BYTES;
  for (let i = 0; i < header.qdcount; i++) {
    const question = new Packet.Question();
    [question.name, at] = readName(msg, at);
    need(msg, at, 4);
    question.type = msg.readUInt16BE(at);
    question.class = msg.readUInt16BE(at + 2);
    at += 4;
    packet.questions.push(question);
  }
  const sections = [
    [packet.answers, header.ancount],
    [packet.authorities, header.nscount],
    [packet.additionals, header.arcount],
  ] as const;
  for (const [records, count] of sections) {
    for (let i = 0; i < count; i++) {
      const rr = new Packet.Resource() as unknown as Record<string, unknown>;
      let name: string;
      [name, at] = readName(msg, at);
      need(msg, at, 10);
      const type = msg.readUInt16BE(at);
      const length = msg.readUInt16BE(at + 8);
      rr.name = name;
      rr.type = type;
      rr.class = msg.readUInt16BE(at + 2);
      // dns2 clamps TTLs to 2^31 - 1 (RFC 2181 §8), before reading an OPT's flags from it.
      rr.ttl = Math.min(msg.readUInt32BE(at + 4), 0x7fffffff);
      at += 10;
      need(msg, at, length);
      readRdata(msg, rr, type, at, length);
      at += length;
      (records as unknown[]).push(rr);
    }
  }
  // RFC 6891 §6.1.3: the OPT record carries the RCODE's high 8 bits (dns2 merges them too).
  const opt = packet.additionals.find((r) => r.type === TYPE_OPT) as { extendedRcode?: number } | undefined;
  if (opt?.extendedRcode) header.rcode = (opt.extendedRcode << 4) | (header.rcode & 0xf);
  return packet;
}

/**
 * Decodes a message into the same Packet that dns2's Packet.parse returns, quickly for the
 * usual replies (A, AAAA, CNAME, MX, NS, SOA records and a bare OPT) and through Packet.parse
 * for everything else. Throws only where Packet.parse throws.
 */
export function decodeMessage(msg: Buffer): Packet {
  try {
    return readMessage(msg);
  } catch (err) {
    if (!(err instanceof NotFastPath)) throw err;
    return Packet.parse(msg);
  }
}
