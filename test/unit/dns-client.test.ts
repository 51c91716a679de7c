import { Packet } from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServerHandle, type Zone } from '../../fixtures/dns-server.js';
import { createResolver } from '../../src/dns/client.js';
import type { Resolver } from '../../src/types.js';
import { replyTo, startRawDns } from '../helpers/raw-dns.js';

const HOST = '127.0.0.54';
const { TYPE } = Packet;

/** c0 → c1 → … → c{n}, with an address at the end. */
function chain(prefix: string, links: number): Zone {
  const zone: Zone = {};
  for (let i = 0; i < links; i++) zone[`${prefix}${i}.test`] = { CNAME: `${prefix}${i + 1}.test` };
  zone[`${prefix}${links}.test`] = { A: ['192.0.2.99'] };
  return zone;
}

const zone: Zone = {
  'example.test': {
    MX: [
      { preference: 20, exchange: 'MX2.Example.TEST.' },
      { preference: 10, exchange: 'mx1.example.test' },
    ],
    A: ['192.0.2.1', '192.0.2.2'],
    AAAA: ['2001:db8::1'],
  },
  'nullmx.test': { MX: [{ preference: 0, exchange: '' }] },
  'empty.test': {},
  'servfail.test': { rcode: 'SERVFAIL' },
  'refused.test': { rcode: 'REFUSED' },
  'dropped.test': { drop: true },
  'www.test': { CNAME: 'web.test' },
  'web.test': { CNAME: 'host.test' },
  'host.test': { A: ['192.0.2.10'], ad: true },
  'dangling.test': { CNAME: 'missing.test' },
  'loop1.test': { CNAME: 'loop2.test' },
  'loop2.test': { CNAME: 'loop1.test' },
  'signed.test': { A: ['192.0.2.11'], ad: true },
  'signed-alias.test': { CNAME: 'host.test', ad: true },
  'bogus.test': { MX: [{ preference: 10, exchange: 'mx.bogus.test' }], ad: true, bogus: true },
  '_25._tcp.mx.signed.test': {
    TLSA: [
      { usage: 3, selector: 1, matchingType: 1, data: 'AB'.repeat(32) },
      { usage: 2, selector: 0, matchingType: 2, data: 'cd'.repeat(64) },
    ],
    ad: true,
  },
  ...chain('eight', 8),
  ...chain('nine', 9),
};

describe('createResolver against the fake server', () => {
  let server: DnsServerHandle;
  let resolver: Resolver;

  beforeAll(async () => {
    server = await startDnsServer({ host: HOST, port: 0, zone });
    resolver = createResolver({ resolvers: [server.address], timeoutMs: 500 });
  });
  afterAll(() => server.close());

  it('owns its sockets: closing one resolver leaves another working, and its own lookups fail as errors', async () => {
    const closed = createResolver({ resolvers: [server.address], timeoutMs: 500 });
    const other = createResolver({ resolvers: [server.address], timeoutMs: 500 });
    expect((await closed.a('example.test')).status).toBe('ok');
    const pending = closed.a('dropped.test');
    closed.close();
    expect(await pending).toMatchObject({ status: 'error', records: [] });
    expect((await other.a('example.test')).records).toEqual(['192.0.2.1', '192.0.2.2']);
    other.close();
  });

  it('returns A, AAAA and MX records with the resolver that answered', async () => {
    expect(await resolver.a('example.test')).toEqual({
      status: 'ok',
      records: ['192.0.2.1', '192.0.2.2'],
      cnames: [],
      authenticated: false,
      resolver: `${HOST}:${server.port}`,
    });
    expect((await resolver.aaaa('example.test')).records).toEqual(['2001:db8::1']);
    // Record order is the server's; exchanges come out lower case without the root dot.
    expect((await resolver.mx('Example.TEST.')).records).toEqual([
      { preference: 20, exchange: 'mx2.example.test' },
      { preference: 10, exchange: 'mx1.example.test' },
    ]);
  });

  it('tells a DNSSEC-bogus SERVFAIL (answered with CD=1) from a plain one', async () => {
    const bogus = await resolver.mx('bogus.test');
    expect(bogus).toMatchObject({ status: 'bogus', records: [], authenticated: false });
    expect(bogus.detail).toMatch(/DNSSEC validation failed/);
    const retry = server.received.filter((q) => q.name === 'bogus.test');
    expect(retry.map((q) => q.checkingDisabled)).toEqual([false, true]);
    expect((await resolver.mx('servfail.test')).status).toBe('servfail');
  });

  it('decodes TLSA records with the AD bit', async () => {
    expect(await resolver.tlsa!('_25._tcp.mx.signed.test')).toMatchObject({
      status: 'ok',
      authenticated: true,
      records: [
        { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) },
        { usage: 2, selector: 0, matchingType: 2, data: 'cd'.repeat(64) },
      ],
    });
    expect((await resolver.tlsa!('_25._tcp.absent.test')).status).toBe('nxdomain');
  });

  it('reports a null MX target as ""', async () => {
    expect(await resolver.mx('nullmx.test')).toMatchObject({ status: 'ok', records: [{ preference: 0, exchange: '' }] });
  });

  it.each([
    ['empty.test', 'nodata'],
    ['absent.test', 'nxdomain'],
    ['servfail.test', 'servfail'],
    ['refused.test', 'refused'],
  ] as const)('maps the reply for %s to %s', async (name, status) => {
    expect(await resolver.a(name)).toMatchObject({ status, records: [], cnames: [] });
  });

  it('reports a timeout with what failed', async () => {
    const answer = await resolver.mx('dropped.test');
    expect(answer).toMatchObject({ status: 'timeout', records: [], authenticated: false });
    expect(answer.detail).toMatch(/no reply over UDP/);
  });

  it('follows a CNAME chain given in the answer section, in order', async () => {
    const udp = server.stats.udp;
    expect(await resolver.a('WWW.test.')).toMatchObject({ status: 'ok', records: ['192.0.2.10'], cnames: ['web.test', 'host.test'] });
    expect(server.stats.udp).toBe(udp + 1);
  });

  it('asks again for the end of a chain that stops without the wanted type', async () => {
    const before = server.received.length;
    expect(await resolver.a('dangling.test')).toMatchObject({ status: 'nxdomain', cnames: ['missing.test'] });
    expect(server.received.slice(before).map((q) => q.name)).toEqual(['dangling.test', 'missing.test']);
  });

  it('reports a CNAME loop as an error', async () => {
    const answer = await resolver.a('loop1.test');
    expect(answer).toMatchObject({ status: 'error', records: [], cnames: ['loop2.test'] });
    expect(answer.detail).toMatch(/CNAME loop at loop1\.test/);
  });

  it('follows at most 8 CNAMEs', async () => {
    expect(await resolver.a('eight0.test')).toMatchObject({ status: 'ok', records: ['192.0.2.99'] });
    expect((await resolver.a('eight0.test')).cnames).toHaveLength(8);
    const nine = await resolver.a('nine0.test');
    expect(nine).toMatchObject({ status: 'error', records: [] });
    expect(nine.detail).toMatch(/more than 8 CNAMEs/);
  });

  it('reads the AD bit', async () => {
    expect((await resolver.a('signed.test')).authenticated).toBe(true);
    expect((await resolver.a('example.test')).authenticated).toBe(false);
    expect(await resolver.a('signed-alias.test')).toMatchObject({ status: 'ok', authenticated: true, cnames: ['host.test'] });
  });
});

describe('createResolver against hand-made replies', () => {
  const cname = (name: string, domain: string) => ({ name, type: TYPE.CNAME, domain });
  const a = (name: string, address: string) => ({ name, type: TYPE.A, address });

  it('is authenticated only when every reply of a chain is', async () => {
    for (const [targetAd, expected] of [
      [1, true],
      [0, false],
    ] as const) {
      const raw = await startRawDns(HOST, (request) =>
        request.questions[0]?.name === 'alias.test'
          ? [replyTo(request, [cname('alias.test', 'target.test')], { ad: 1 })]
          : [replyTo(request, [a('target.test', '192.0.2.5')], { ad: targetAd })],
      );
      try {
        const answer = await createResolver({ resolvers: [raw.address], timeoutMs: 500 }).a('alias.test');
        expect(answer).toMatchObject({ status: 'ok', records: ['192.0.2.5'], cnames: ['target.test'], authenticated: expected });
      } finally {
        await raw.close();
      }
    }
  });

  it('finds chain links out of order and ignores records of other owners', async () => {
    const raw = await startRawDns(HOST, (request) => [
      replyTo(request, [
        a('target.test', '192.0.2.7'),
        a('unrelated.test', '192.0.2.8'),
        cname('middle.test', 'target.test'),
        cname('alias.test', 'middle.test'),
      ]),
    ]);
    try {
      const answer = await createResolver({ resolvers: [raw.address], timeoutMs: 500 }).a('alias.test');
      expect(answer).toMatchObject({ status: 'ok', records: ['192.0.2.7'], cnames: ['middle.test', 'target.test'] });
    } finally {
      await raw.close();
    }
  });

  it.each([
    [1, 'error'], // FORMERR
    [4, 'error'], // NOTIMP
    [2, 'servfail'],
  ] as const)('maps RCODE %i to %s', async (rcode, status) => {
    const raw = await startRawDns(HOST, (request) => [replyTo(request, [], { rcode })]);
    try {
      expect(await createResolver({ resolvers: [raw.address], timeoutMs: 500 }).a('x.test')).toMatchObject({ status, records: [] });
    } finally {
      await raw.close();
    }
  });

  it('keeps the CNAME chain of an NXDOMAIN reply', async () => {
    const raw = await startRawDns(HOST, (request) => [replyTo(request, [cname('alias.test', 'gone.test')], { rcode: 3 })]);
    try {
      const answer = await createResolver({ resolvers: [raw.address], timeoutMs: 500 }).a('alias.test');
      expect(answer).toMatchObject({ status: 'nxdomain', records: [], cnames: ['gone.test'] });
    } finally {
      await raw.close();
    }
  });
});
