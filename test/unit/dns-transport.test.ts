import dgram from 'node:dgram';
import net from 'node:net';
import { Packet } from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServerHandle, type Zone } from '../../fixtures/dns-server.js';
import { query } from '../../src/dns/transport.js';
import { replyTo, startRawDns } from '../helpers/raw-dns.js';
import { UdpPool } from '../../src/dns/udp-pool.js';

/** This file's DNS sockets: a resolver's own, closed when the file is done. */
const pool = new UdpPool();
afterAll(() => pool.close());

const HOST = '127.0.0.53';
const { TYPE } = Packet;

const zone: Zone = {
  'example.test': { MX: [{ preference: 10, exchange: 'mx.example.test' }], A: ['192.0.2.1'], AAAA: ['2001:db8::1'] },
  'signed.test': { A: ['192.0.2.2'], ad: true },
  'big.test': { A: ['192.0.2.3', '192.0.2.4'], truncate: true },
  'dropped.test': { drop: true },
};

/** Resources the test process holds, by kind, to prove nothing is left behind. */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('records of types dns2 does not know', () => {
  it('keep their RDATA as raw bytes (TLSA, type 52)', () => {
    const rdata = Buffer.from([3, 1, 1, 0xde, 0xad, 0xbe, 0xef]);
    const reply = new Packet();
    Object.assign(reply.header, { id: 1, qr: 1 });
    reply.questions.push(new Packet.Question('_25._tcp.mx.test', 52, Packet.CLASS.IN));
    reply.answers.push(new Packet.Resource({ name: '_25._tcp.mx.test', type: 52, class: 1, ttl: 60, data: rdata as never }));
    reply.answers.push(new Packet.Resource({ name: 'mx.test', type: TYPE.A, class: 1, ttl: 60, address: '192.0.2.9' }));
    const decoded = Packet.parse(reply.toBuffer());
    expect(decoded.answers[0]?.data).toEqual(rdata);
    // The record after it still decodes, so the raw length was honoured.
    expect(decoded.answers[1]?.address).toBe('192.0.2.9');
  });
});

describe('query against the fake server', () => {
  let server: DnsServerHandle;
  const opts = () => ({ pool, resolvers: [server.address], timeoutMs: 1000 });

  beforeAll(async () => {
    server = await startDnsServer({ host: HOST, port: 0, zone });
  });
  afterAll(() => server.close());

  it('answers A, AAAA and MX over UDP', async () => {
    const a = await query('example.test', TYPE.A, opts());
    expect(a).toMatchObject({ status: 'ok', rcode: 0, ad: false, resolver: `${HOST}:${server.port}` });
    expect(a.packet?.answers.map((rr) => rr.address)).toEqual(['192.0.2.1']);

    const aaaa = await query('example.test', TYPE.AAAA, opts());
    expect(aaaa.packet?.answers.map((rr) => rr.address)).toEqual(['2001:db8::1']);

    const mx = await query('example.test.', TYPE.MX, opts());
    expect(mx.packet?.answers.map((rr) => [rr.priority, rr.exchange])).toEqual([[10, 'mx.example.test']]);
  });

  it('reports the RCODE of a negative answer as a transport success', async () => {
    const result = await query('absent.test', TYPE.A, opts());
    expect(result).toMatchObject({ status: 'ok', rcode: 3 });
  });

  it('sends DO=1 in every query', async () => {
    const before = server.received.length;
    await query('example.test', TYPE.A, opts());
    expect(server.received.slice(before)).toEqual([{ transport: 'udp', checkingDisabled: false, name: 'example.test', type: TYPE.A, dnssecOk: true }]);
  });

  it('reads the AD bit', async () => {
    const result = await query('signed.test', TYPE.A, opts());
    expect(result).toMatchObject({ status: 'ok', ad: true });
  });

  it('retries over TCP when the UDP reply is truncated', async () => {
    const { udp, tcp } = server.stats;
    const result = await query('big.test', TYPE.A, opts());
    expect(result.status).toBe('ok');
    expect(result.packet?.header.tc).toBe(0);
    expect(result.packet?.answers.map((rr) => rr.address)).toEqual(['192.0.2.3', '192.0.2.4']);
    expect(server.stats).toEqual({ udp: udp + 1, tcp: tcp + 1 });
  });

  it('times out on a silent name within timeoutMs, once per attempt', async () => {
    const udp = server.stats.udp;
    const started = Date.now();
    const result = await query('dropped.test', TYPE.A, { pool, resolvers: [server.address], timeoutMs: 300, attempts: 1 });
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ status: 'timeout', ad: false, resolver: `${HOST}:${server.port}` });
    expect(result.detail).toMatch(/within 300 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 400);
    expect(server.stats.udp).toBe(udp + 1);

    await query('dropped.test', TYPE.A, { pool, resolvers: [server.address], timeoutMs: 100, attempts: 3 });
    expect(server.stats.udp).toBe(udp + 4);
  });

  it('moves on to the next resolver after a timeout', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, HOST, resolve));
    try {
      const dead = { address: HOST, port: silent.address().port };
      const result = await query('example.test', TYPE.A, { pool, resolvers: [dead, server.address], timeoutMs: 200, attempts: 1 });
      expect(result).toMatchObject({ status: 'ok', resolver: `${HOST}:${server.port}` });
    } finally {
      silent.close();
    }
  });

  it('reports a refused port as an error, not a timeout', async () => {
    const closed = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => closed.bind(0, HOST, resolve));
    const port = closed.address().port;
    await new Promise<void>((resolve) => closed.close(resolve));
    const started = Date.now();
    const result = await query('example.test', TYPE.A, { pool, resolvers: [{ address: HOST, port }], timeoutMs: 2000, attempts: 1 });
    expect(result).toMatchObject({ status: 'error', detail: expect.stringMatching(/ECONNREFUSED/) });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a resolver that is not an IP address instead of looking it up', async () => {
    const result = await query('example.test', TYPE.A, { pool, resolvers: [{ address: 'localhost', port: 53 }], timeoutMs: 200 });
    expect(result).toMatchObject({ status: 'error', detail: expect.stringMatching(/not an IP address/) });
  });

  it('returns an error for a name that cannot be encoded', async () => {
    const result = await query(`${'a'.repeat(64)}.test`, TYPE.A, opts());
    expect(result).toMatchObject({ status: 'error', detail: expect.stringMatching(/cannot encode/) });
  });

  it('tells apart many queries in flight at once on shared sockets', async () => {
    const names = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 'example.test' : i % 3 === 1 ? 'signed.test' : 'absent.test'));
    const results = await Promise.all(names.map((name) => query(name, TYPE.A, opts())));
    const expected = { 'example.test': ['192.0.2.1'], 'signed.test': ['192.0.2.2'], 'absent.test': [] } as Record<string, string[]>;
    results.forEach((r, i) => {
      expect(r.status).toBe('ok');
      expect(r.packet?.answers.map((rr) => rr.address)).toEqual(expected[names[i]!]);
    });
  });

  it('leaves no socket or timer behind', async () => {
    await settle();
    const before = handles();
    await query('example.test', TYPE.A, opts());
    await query('big.test', TYPE.A, opts());
    await query('dropped.test', TYPE.A, { pool, resolvers: [server.address], timeoutMs: 100, attempts: 1 });
    await settle();
    // Not equality: timers of earlier tests (the fake server's idle TCP sockets) may expire meanwhile.
    const after = handles();
    for (const kind of Object.keys(after)) expect(after[kind], kind).toBeLessThanOrEqual(before[kind] ?? 0);
  });
});

describe('query over IPv6', () => {
  it('works with a resolver on ::1', async () => {
    const server = await startDnsServer({ host: '::1', port: 0, zone });
    try {
      expect(server.address).toEqual({ address: '::1', port: server.port });
      const result = await query('example.test', TYPE.AAAA, { pool, resolvers: [server.address], timeoutMs: 1000 });
      expect(result).toMatchObject({ status: 'ok', resolver: `[::1]:${server.port}` });
      expect(result.packet?.answers.map((rr) => rr.address)).toEqual(['2001:db8::1']);
      const tcp = await query('big.test', TYPE.A, { pool, resolvers: [server.address], timeoutMs: 1000 });
      expect(tcp.status).toBe('ok');
      expect(server.stats.tcp).toBe(1);
    } finally {
      await server.close();
    }
  });
});

const aRecord = (name: string, address: string) => ({ name, type: TYPE.A, address });

describe('query against misbehaving servers', () => {
  it('changes its source port now and then: sockets retire after 1,000 queries', async () => {
    const ports = new Set<number>();
    const socket = dgram.createSocket('udp4');
    socket.on('message', (message, rinfo) => {
      ports.add(rinfo.port);
      const reply = replyTo(Packet.parse(message), [aRecord('example.test', '192.0.2.1')]);
      socket.send(reply.toBuffer(), rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
    try {
      const resolver = { address: HOST, port: socket.address().port };
      for (let i = 0; i < 1100; i++) {
        const result = await query('example.test', TYPE.A, { pool, resolvers: [resolver], timeoutMs: 1000, attempts: 1 });
        expect(result.status).toBe('ok');
      }
      expect(ports.size).toBe(2);
    } finally {
      socket.close();
    }
  });

  it('ignores replies with the wrong id or question and takes the right one', async () => {
    const raw = await startRawDns(HOST, (request) => {
      const wrongId = replyTo(request, [aRecord('example.test', '192.0.2.66')], { id: (request.header.id + 1) & 0xffff });
      const wrongName = replyTo(request, [aRecord('other.test', '192.0.2.67')]);
      wrongName.questions = [new Packet.Question('other.test', TYPE.A, Packet.CLASS.IN)];
      return [wrongId, wrongName, replyTo(request, [aRecord('example.test', '192.0.2.1')])];
    });
    try {
      const result = await query('example.test', TYPE.A, { pool, resolvers: [raw.address], timeoutMs: 1000, attempts: 1 });
      expect(result.status).toBe('ok');
      expect(result.packet?.answers.map((rr) => rr.address)).toEqual(['192.0.2.1']);
    } finally {
      await raw.close();
    }
  });

  it('says how many datagrams it ignored when only wrong ones came', async () => {
    const raw = await startRawDns(HOST, (request) => [
      replyTo(request, [aRecord('example.test', '192.0.2.66')], { id: (request.header.id + 1) & 0xffff }),
    ]);
    try {
      const result = await query('example.test', TYPE.A, { pool, resolvers: [raw.address], timeoutMs: 200, attempts: 1 });
      expect(result).toMatchObject({ status: 'timeout', detail: expect.stringMatching(/ignored 1 /) });
    } finally {
      await raw.close();
    }
  });

  it('times out when the TCP server accepts but never answers', async () => {
    // UDP says "truncated" and TCP on the same port stays silent.
    const raw = await startRawDns(HOST, (request) => [replyTo(request, [], { tc: 1 })]);
    const accepted: net.Socket[] = [];
    const silent = net.createServer((conn) => accepted.push(conn));
    await new Promise<void>((resolve) => silent.listen(raw.address.port, HOST, resolve));
    try {
      const started = Date.now();
      const result = await query('example.test', TYPE.A, { pool, resolvers: [raw.address], timeoutMs: 300, attempts: 1 });
      const elapsed = Date.now() - started;
      expect(result).toMatchObject({ status: 'timeout', detail: expect.stringMatching(/over TCP/) });
      expect(accepted).toHaveLength(1);
      // The UDP reply is immediate, so the time spent is the TCP timer's.
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(300 + 400);
    } finally {
      await raw.close();
      for (const conn of accepted) conn.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('reassembles a TCP reply that arrives in pieces', async () => {
    const raw = await startRawDns(HOST, (request) => [replyTo(request, [], { tc: 1 })]);
    const tcp = net.createServer((conn) => {
      conn.once('data', (data) => {
        const body = replyTo(Packet.parse(data.subarray(2)), [aRecord('example.test', '192.0.2.77')]).toBuffer();
        const framed = Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
        // One byte, then the rest of the length and part of the body, then the remainder.
        const pieces = [framed.subarray(0, 1), framed.subarray(1, 10), framed.subarray(10)];
        pieces.forEach((piece, i) => setTimeout(() => conn.write(piece), i * 30));
      });
    });
    await new Promise<void>((resolve) => tcp.listen(raw.address.port, HOST, resolve));
    try {
      const result = await query('example.test', TYPE.A, { pool, resolvers: [raw.address], timeoutMs: 1000, attempts: 1 });
      expect(result.status).toBe('ok');
      expect(result.packet?.answers.map((rr) => rr.address)).toEqual(['192.0.2.77']);
    } finally {
      await raw.close();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  });
});
