// The one DNS message we send: a query for one name and type, with RD=1 and an EDNS0 OPT record
// asking for DNSSEC data (DO=1), so the AD bit of the reply means something. Written straight
// into one buffer: going through dns2's Packet encoder (objects per section, a name-compression
// map, per-record type lookups) measured as 4 KB allocated and a quarter of the DNS CPU time
// per query in a 2,000-domain scan (fixtures/bench-ratios.ts, --cpu-prof on Node 24). The bytes
// are the ones dns2 wrote (test/unit/dns-query-message.test.ts compares them), errors included.

/** RFC 1035 §2.3.4. */
const MAX_LABEL = 63;
const MAX_NAME = 255;
/** DNS Flag Day 2020's advice: small enough that UDP replies are not IP-fragmented. */
const EDNS_UDP_PAYLOAD = 1232;
/** The OPT TTL is ext-RCODE(8) | version(8) | DO(1) | Z(15): DO is bit 15 of the 32. */
const EDNS_DO_FLAG = 0x8000;
const TYPE_OPT = 41;
const CLASS_IN = 1;
/** Header byte 2: QR=0, OPCODE=0, AA=0, TC=0, RD=1. Byte 3: RA=0, Z=0, AD=0, CD, RCODE=0. */
const FLAGS_RD = 0x01;
const FLAG_CD = 0x10;
const HEADER = 12;
/** Root owner name, TYPE, CLASS, TTL, RDLENGTH. */
const OPT_RECORD = 11;

/**
 * The query for `name`/`type` (class IN) under message id `id`; CD=1 (checking disabled, RFC 4035
 * §3.2.2) only to tell a DNSSEC-bogus SERVFAIL from others. Empty labels are skipped, as dns2
 * skipped them ("a..b." asks for "a.b"); each character is written as one octet, its low byte,
 * as dns2 wrote it (names reach here lower-cased A-labels, normaliseName). Throws on a label
 * over 63 octets or a name over 255.
 */
export function buildQuery(name: string, type: number, id: number, checkingDisabled = false): Buffer {
  const labels = name.split('.').filter((label) => label.length > 0);
  let nameLength = 1; // the root label ending the name
  for (const label of labels) {
    if (label.length > MAX_LABEL) throw new Error(`Name encode: label "${label}" is ${label.length} octets (max ${MAX_LABEL})`);
    nameLength += label.length + 1;
  }
  if (nameLength > MAX_NAME) throw new Error(`Name encode: name "${name}" encodes to ${nameLength} octets (max ${MAX_NAME})`);

  // From Node's shared pool (a zero-filled Buffer.alloc is an allocation of its own per query):
  // every byte is written below.
  const wire = Buffer.allocUnsafe(HEADER + nameLength + 4 + OPT_RECORD);
  wire.writeUInt16BE(id, 0);
  wire[2] = FLAGS_RD;
  wire[3] = checkingDisabled ? FLAG_CD : 0;
  wire.writeUInt16BE(1, 4); // QDCOUNT
  wire.writeUInt32BE(0, 6); // ANCOUNT, NSCOUNT
  wire.writeUInt16BE(1, 10); // ARCOUNT: the OPT record
  let at = HEADER;
  for (const label of labels) {
    wire[at++] = label.length;
    for (let i = 0; i < label.length; i++) wire[at++] = label.charCodeAt(i) & 0xff;
  }
  wire[at++] = 0;
  wire.writeUInt16BE(type, at);
  wire.writeUInt16BE(CLASS_IN, at + 2);
  at += 4;
  // OPT (RFC 6891 §6.1.2): root owner, TYPE 41, CLASS = our UDP payload size, TTL = ext-RCODE 0,
  // version 0, DO; no options, so RDLENGTH 0.
  wire[at] = 0;
  wire.writeUInt16BE(TYPE_OPT, at + 1);
  wire.writeUInt16BE(EDNS_UDP_PAYLOAD, at + 3);
  wire.writeUInt32BE(EDNS_DO_FLAG, at + 5);
  wire.writeUInt16BE(0, at + 9);
  return wire;
}
