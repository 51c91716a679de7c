import { Packet } from 'dns2';
import { describe, expect, it } from 'vitest';
import { buildQuery, decodeMessage } from '../../src/dns/wire.js';

const { TYPE, CLASS } = Packet;

/** A reply as dns2 encodes it (with name compression), from a header and sections. */
function message(header: object, sections: { questions?: [string, number][]; answers?: object[]; authorities?: object[]; additionals?: object[] }): Buffer {
  const packet = new Packet();
  Object.assign(packet.header, { id: 0x1234, qr: 1, rd: 1, ra: 1, ...header });
  for (const [name, type] of sections.questions ?? []) packet.questions.push(new Packet.Question(name, type, CLASS.IN));
  const rr = (r: object) => new Packet.Resource({ class: CLASS.IN, ttl: 300, ...r });
  packet.answers.push(...(sections.answers ?? []).map(rr));
  packet.authorities.push(...(sections.authorities ?? []).map(rr));
  packet.additionals.push(...(sections.additionals ?? []).map((r) => Object.assign(rr(r), { rdata: [] })));
  return packet.toBuffer();
}

const OPT = { name: '', type: TYPE.EDNS, class: 1232, ttl: 0x8000 };

const replies: Record<string, Buffer> = {
  'A records': message({}, { questions: [['mx.example.test', TYPE.A]], answers: [{ name: 'mx.example.test', type: TYPE.A, address: '192.0.2.1' }, { name: 'mx.example.test', type: TYPE.A, address: '192.0.2.2' }] }),
  'AAAA records': message({ ad: 1 }, { questions: [['mx.example.test', TYPE.AAAA]], answers: [{ name: 'mx.example.test', type: TYPE.AAAA, address: '2001:db8::1' }], additionals: [OPT] }),
  'MX records behind a CNAME': message({}, {
    questions: [['alias.test', TYPE.MX]],
    answers: [{ name: 'alias.test', type: TYPE.CNAME, domain: 'example.test' }, { name: 'example.test', type: TYPE.MX, priority: 10, exchange: 'mx.example.test' }],
  }),
  'NXDOMAIN with an SOA': message({ rcode: 3 }, {
    questions: [['absent.test', TYPE.A]],
    authorities: [{ name: 'test', type: TYPE.SOA, primary: 'ns.test', admin: 'hostmaster.test', serial: 2026, refresh: 3600, retry: 600, expiration: 86400, minimum: 60 }],
    additionals: [OPT],
  }),
  'an extended RCODE in the OPT record': message({ rcode: 0 }, { questions: [['x.test', TYPE.A]], additionals: [{ ...OPT, ttl: 0x01008000 }] }),
  'NS records': message({}, { questions: [['test', TYPE.NS]], answers: [{ name: 'test', type: TYPE.NS, ns: 'ns1.test' }] }),
  // Not on the fast path: dns2 decodes these.
  'TXT records': message({}, { questions: [['example.test', TYPE.TXT]], answers: [{ name: 'example.test', type: TYPE.TXT, data: ['v=STSv1; id=1'] }] }),
  'a TLSA record': message({}, { questions: [['_25._tcp.mx.test', 52]], answers: [{ name: '_25._tcp.mx.test', type: 52, data: Buffer.from([3, 1, 1, 0xab]) }] }),
  'a truncated reply': message({ tc: 1 }, { questions: [['big.test', TYPE.A]] }),
};

describe('decodeMessage', () => {
  for (const [what, wire] of Object.entries(replies)) {
    it(`builds what Packet.parse builds: ${what}`, () => {
      expect(decodeMessage(wire)).toStrictEqual(Packet.parse(wire));
    });
  }

  it('agrees with Packet.parse on damaged messages too', () => {
    const wire = replies['MX records behind a CNAME']!;
    for (const cut of [0, 5, 12, 20, wire.length - 1]) {
      const damaged = wire.subarray(0, cut);
      let ours: unknown;
      let theirs: unknown;
      try {
        ours = decodeMessage(damaged);
      } catch (err) {
        ours = err;
      }
      try {
        theirs = Packet.parse(damaged);
      } catch (err) {
        theirs = err;
      }
      expect(ours, `cut at ${cut}`).toStrictEqual(theirs);
    }
  });

  it('refuses a compression pointer loop as dns2 does (record dropped)', () => {
    const wire = Buffer.from(replies['A records']!);
    // Point the first answer's owner name at itself.
    const owner = wire.indexOf(Buffer.from([0xc0, 0x0c]), 12);
    const looped = Buffer.concat([wire.subarray(0, owner), Buffer.from([0xc0, owner]), wire.subarray(owner + 2)]);
    const decoded = decodeMessage(looped);
    expect(decoded).toStrictEqual(Packet.parse(looped));
    expect(decoded.answers.length).toBeLessThan(decoded.header.ancount);
  });
});

describe('buildQuery', () => {
  it('writes the bytes dns2 writes for the same query', () => {
    for (const [name, type, cd] of [['Example.TEST', TYPE.MX, false], ['mx.example.test.', TYPE.AAAA, true], ['_25._tcp.mx.test', 52, false]] as const) {
      const packet = new Packet();
      packet.header.id = 0xbeef;
      packet.header.rd = 1;
      if (cd) (packet.header as { cd?: number }).cd = 1;
      packet.questions.push(new Packet.Question(name, type, CLASS.IN));
      packet.additionals.push(Object.assign(new Packet.Resource({ name: '', type: TYPE.EDNS, class: 1232, ttl: 0x8000 }), { rdata: [] }));
      expect(buildQuery(name, type, 0xbeef, cd).toString('hex'), name).toBe(packet.toBuffer().toString('hex'));
    }
  });

  it('refuses labels over 63 octets and names over 255', () => {
    expect(() => buildQuery(`${'a'.repeat(64)}.test`, TYPE.A, 1)).toThrow(/63/);
    expect(() => buildQuery(Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.'), TYPE.A, 1)).toThrow(/255/);
  });
});
