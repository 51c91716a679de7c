// DNS messages with every part the scanner reads (and some it does not), for the tests of our
// byte-level reader (src/dns/bit-stream.ts) and the lab's writer (fixtures/dns-byte-writer.ts)
// against dns2's own codec.
import { Packet } from 'dns2';

const { TYPE, CLASS } = Packet;

/** A reply with a CNAME, MX, A, AAAA, long TXT and TLSA (an unknown type to dns2), and an OPT record. */
export function response(): Packet {
  const p = new Packet();
  Object.assign(p.header, { id: 0xbeef, qr: 1, aa: 1, rd: 1, ra: 1, ad: 1, cd: 1, rcode: 0 });
  p.questions.push(new Packet.Question('Mail.Example.test', TYPE.MX, CLASS.IN));
  const rr = (type: number, name: string, data: object) => new Packet.Resource({ name, type, class: CLASS.IN, ttl: 0xfffffff0, ...data });
  p.answers.push(
    rr(TYPE.CNAME, 'mail.example.test', { domain: 'mx.example.test' }),
    rr(TYPE.MX, 'mx.example.test', { priority: 10, exchange: 'mx1.example.test' }),
    rr(TYPE.A, 'mx1.example.test', { address: '192.0.2.1' }),
    rr(TYPE.AAAA, 'mx1.example.test', { address: '2001:db8::1' }),
    rr(TYPE.TXT, '_mta-sts.example.test', { data: ['v=STSv1; id=1;', 'x'.repeat(200)] }),
    rr(52, '_25._tcp.mx1.example.test', { data: Buffer.from('030101' + 'ab'.repeat(32), 'hex') }),
  );
  p.additionals.push(Object.assign(new Packet.Resource({ name: '', type: TYPE.EDNS, class: 1232, ttl: 0x8000 }), { rdata: [] }));
  return p;
}

/** An NXDOMAIN with the zone's SOA in the authority section and an OPT record with an option. */
export function negative(): Packet {
  const p = new Packet();
  Object.assign(p.header, { id: 0x1234, qr: 1, rd: 1, ra: 1, rcode: 3 });
  p.questions.push(new Packet.Question('nothing.example.test', TYPE.A, CLASS.IN));
  p.authorities.push(
    new Packet.Resource({
      name: 'example.test',
      type: TYPE.SOA,
      class: CLASS.IN,
      ttl: 300,
      primary: 'ns.example.test',
      admin: 'hostmaster.example.test',
      serial: 1,
      refresh: 2,
      retry: 3,
      expiration: 4,
      minimum: 5,
    } as never),
  );
  p.additionals.push(Object.assign(new Packet.Resource({ name: '', type: TYPE.EDNS, class: 1232, ttl: 0x8000 }), { rdata: [(Packet.Resource.EDNS as unknown as { ECS(subnet: string): object }).ECS('192.0.2.0/24')] }));
  return p;
}

