// The lab's DNS server writes its replies through fixtures/dns-byte-writer.ts: the bytes must be
// exactly those dns2's own writer gives, for every kind of reply the lab sends.
import { Packet } from 'dns2';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../fixtures/dns-byte-writer.js';
import { negative, response } from '../helpers/dns-packets.js';

/** A reply of `count` A records under names that compress against each other and grow past 512 bytes. */
function many(count: number): Packet {
  const p = new Packet();
  Object.assign(p.header, { id: 7, qr: 1, rd: 1, ra: 1 });
  p.questions.push(new Packet.Question('many.example.test', Packet.TYPE.A, Packet.CLASS.IN));
  for (let i = 0; i < count; i++) p.answers.push(new Packet.Resource({ name: `host${i}.many.example.test`, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 300, address: `192.0.2.${i % 256}` }));
  return p;
}

describe('the byte writer for dns2\'s encoders', () => {
  it.each([
    ['answers of every type the lab gives, compression pointers, an OPT record', response],
    ['an NXDOMAIN with an SOA and an OPT option (written through dns2\'s own bit writer inside)', negative],
    ['a reply of 60 records', () => many(60)],
    ['a bare header', () => new Packet()],
  ])('writes the bytes dns2 writes: %s', (_name, build) => {
    const theirs = build().toBuffer();
    expect(theirs.length).toBeGreaterThan(11);
    expect(encodeMessage(build()).toString('hex')).toBe(theirs.toString('hex'));
  });
});
