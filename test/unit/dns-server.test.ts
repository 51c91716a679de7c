import dgram from 'node:dgram';
import net from 'node:net';
import { Packet } from 'dns2';
import { afterAll, describe, expect, it } from 'vitest';
import { startDnsServer } from '../../fixtures/dns-server.js';
import { query } from '../../src/dns/transport.js';
import { UdpPool } from '../../src/dns/udp-pool.js';

/** This file's DNS sockets: a resolver's own, closed when the file is done. */
const pool = new UdpPool();
afterAll(() => pool.close());

const HOST = '127.0.0.55';
const { TYPE } = Packet;

function canBind(port: number): Promise<boolean> {
  const udp = dgram.createSocket('udp4');
  const tcp = net.createServer();
  const udpOk = new Promise<boolean>((resolve) => {
    udp.once('error', () => resolve(false));
    udp.bind(port, HOST, () => resolve(true));
  });
  const tcpOk = new Promise<boolean>((resolve) => {
    tcp.once('error', () => resolve(false));
    tcp.listen(port, HOST, () => resolve(true));
  });
  return Promise.all([udpOk, tcpOk]).then(async ([u, t]) => {
    udp.close();
    if (t) await new Promise((resolve) => tcp.close(resolve));
    return u && t;
  });
}

describe('startDnsServer', () => {
  it('serves UDP and TCP on one port and releases both on close, even with a client connected', async () => {
    const server = await startDnsServer({ host: HOST, zone: { 'a.test': { A: ['192.0.2.1'] } } });
    expect(server.port).toBeGreaterThan(0);
    expect(server.address).toEqual({ address: HOST, port: server.port });
    const idle = net.connect(server.port, HOST);
    await new Promise((resolve) => idle.once('connect', resolve));
    const idleClosed = new Promise((resolve) => idle.once('close', resolve));
    expect(await canBind(server.port)).toBe(false);
    await server.close();
    await server.close(); // a second close is harmless
    await idleClosed; // the server hung up on the idle client instead of waiting for it
    expect(await canBind(server.port)).toBe(true);
  });

  it('binds a chosen port and fails clearly when it is taken', async () => {
    const first = await startDnsServer({ host: HOST, zone: {} });
    try {
      await expect(startDnsServer({ host: HOST, port: first.port, zone: {} })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
    const again = await startDnsServer({ host: HOST, port: first.port, zone: {} });
    expect(again.port).toBe(first.port);
    await again.close();
  });

  it('answers TXT and CNAME questions and picks up a new zone', async () => {
    const server = await startDnsServer({
      host: HOST,
      zone: { 'txt.test': { TXT: [['v=spf1', ' -all']] }, 'alias.test': { CNAME: 'txt.test' } },
    });
    const opts = { pool, resolvers: [server.address], timeoutMs: 500 };
    try {
      const txt = await query('txt.test', TYPE.TXT, opts);
      expect(txt.packet?.answers.map((rr) => rr.data)).toEqual([['v=spf1', ' -all']]);
      const cname = await query('alias.test', TYPE.CNAME, opts);
      expect(cname.packet?.answers.map((rr) => [rr.type, rr.domain])).toEqual([[TYPE.CNAME, 'txt.test']]);

      server.setZone({ 'txt.test': { rcode: 'REFUSED' } });
      expect(await query('txt.test', TYPE.TXT, opts)).toMatchObject({ status: 'ok', rcode: 5 });
      expect(server.stats).toEqual({ udp: 3, tcp: 0 });
    } finally {
      await server.close();
    }
  });
});
