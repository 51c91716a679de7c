import { Packet } from 'dns2';
import { describe, expect, it } from 'vitest';
import { buildQuery } from '../../src/dns/query-message.js';

const { TYPE } = Packet;

/** The query as dns2's own encoder writes it: what buildQuery replaced, byte for byte. */
function dns2Query(name: string, type: number, id: number, checkingDisabled: boolean): Buffer {
  const packet = new Packet();
  packet.header.id = id;
  packet.header.rd = 1;
  if (checkingDisabled) Object.assign(packet.header, { cd: 1 });
  packet.questions.push(new Packet.Question(name, type, Packet.CLASS.IN));
  const opt = new Packet.Resource({ name: '', type: TYPE.EDNS, class: 1232, ttl: 0x8000 });
  packet.additionals.push(Object.assign(opt, { rdata: [] }));
  return packet.toBuffer();
}

const attempt = (f: () => Buffer): string => {
  try {
    return f().toString('hex');
  } catch (err) {
    return `throws ${(err as Error).message}`;
  }
};

describe('buildQuery', () => {
  const wire = buildQuery('Example.TEST', TYPE.MX, 0xbeef);

  it('sets the id, RD, one question and one OPT record', () => {
    expect(wire.readUInt16BE(0)).toBe(0xbeef);
    expect(wire.readUInt16BE(2)).toBe(0x0100); // QR=0 opcode=0 ... RD=1, nothing else
    expect([wire.readUInt16BE(4), wire.readUInt16BE(6), wire.readUInt16BE(8), wire.readUInt16BE(10)]).toEqual([1, 0, 0, 1]);
  });

  it('ends with an OPT RR: root name, payload 1232, DO=1, version 0, no options', () => {
    const opt = wire.subarray(wire.length - 11);
    expect(opt[0]).toBe(0); // root owner name
    expect(opt.readUInt16BE(1)).toBe(41); // TYPE OPT
    expect(opt.readUInt16BE(3)).toBe(1232); // CLASS = requestor's UDP payload size
    expect(opt.readUInt8(5)).toBe(0); // extended RCODE
    expect(opt.readUInt8(6)).toBe(0); // EDNS version
    expect(opt.readUInt16BE(7)).toBe(0x8000); // DO bit, Z clear
    expect(opt.readUInt16BE(9)).toBe(0); // RDLENGTH
  });

  it('sets CD only when asked', () => {
    expect(buildQuery('a.test', TYPE.A, 1, true).readUInt16BE(2)).toBe(0x0110);
  });

  it('decodes back with dns2 to the same question and doFlag', () => {
    const packet = Packet.parse(wire);
    expect(packet.questions).toEqual([expect.objectContaining({ name: 'Example.TEST', type: TYPE.MX, class: 1 })]);
    expect(packet.additionals[0]).toMatchObject({ type: 41, class: 1232, doFlag: true, version: 0 });
  });

  it('writes the bytes dns2 wrote, and refuses what it refused', () => {
    const names = [
      'example.test',
      'Mixed.Case.Example',
      '_mta-sts.example.test',
      '_25._tcp.mx.example.test',
      'trailing.dot.',
      'a..b',
      '.',
      '',
      'xn--bcher-kva.example',
      'caf\u00e9.test', // not an A-label: both write the low byte of each character
      '\u4e2d.test',
      `${'a'.repeat(63)}.test`,
      `${'a'.repeat(64)}.test`,
      Array.from({ length: 4 }, () => 'b'.repeat(63)).join('.'), // 257 octets
      `${Array.from({ length: 3 }, () => 'b'.repeat(63)).join('.')}.${'c'.repeat(61)}`, // 255 octets
    ];
    for (const name of names) {
      for (const [type, id, cd] of [[TYPE.A, 0, false], [TYPE.TXT, 0xffff, true], [52, 0x1234, false]] as const) {
        expect(attempt(() => buildQuery(name, type, id, cd)), `${name} ${type}`).toBe(attempt(() => dns2Query(name, type, id, cd)));
      }
    }
  });
});
