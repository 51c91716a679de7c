import net from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCa, createLabPki, type LabLeaf, type LabPki } from '../../fixtures/certs.js';
import { startSmtpServer, type SmtpServerHandle, type SmtpServerOptions } from '../../fixtures/smtp-server.js';
import { probeAddress } from '../../src/probe/probe-address.js';
import type { AddressProbe, ProbeOptions, Timeouts } from '../../src/types.js';

const HOST = '127.0.0.41';
const MX = 'mx.lab.test';

let pki: LabPki;
let leaf: LabLeaf;
const servers: SmtpServerHandle[] = [];

beforeAll(async () => {
  pki = await createLabPki();
  leaf = await pki.leaf({ dnsNames: [MX] });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(opts: SmtpServerOptions = {}): Promise<SmtpServerHandle> {
  const server = await startSmtpServer({ host: HOST, tls: { certPem: leaf.chainPem, keyPem: leaf.keyPem }, ...opts });
  servers.push(server);
  return server;
}

function options(port: number, timeouts: Partial<Timeouts> = {}, ca = [pki.root.certPem]): ProbeOptions {
  return {
    port,
    ehloName: 'probe.mxtls.test',
    timeouts: { connect: 2, greeting: 2, command: 2, tls: 2, ...timeouts },
    trust: { ca, source: 'lab root' },
  };
}

function probe(server: SmtpServerHandle, timeouts: Partial<Timeouts> = {}, ca?: string[]): Promise<AddressProbe> {
  return probeAddress({ address: server.host, hostname: MX }, options(server.port, timeouts, ca));
}

const sent = (p: AddressProbe) => p.transcript.filter((l) => l.dir === 'C').map((l) => l.text);
const notes = (p: AddressProbe) => p.transcript.filter((l) => l.dir === '*').map((l) => l.text);

/** A port on HOST that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('probeAddress against the fake SMTP server', () => {
  it('runs the whole session over TLS and trusts the lab chain', async () => {
    const server = await serve();
    const p = await probe(server);
    expect(p.failure).toBeUndefined();
    expect(p).toMatchObject({
      address: HOST,
      family: 4,
      port: server.port,
      hostname: MX,
      stage: 'done',
      heloFallback: false,
      starttlsOffered: true,
      greeting: { code: 220, lines: ['mx.lab.test ESMTP fake'] },
      starttlsReply: { code: 220 },
    });
    expect(p.ehloKeywords).toEqual(['PIPELINING', 'SIZE', 'STARTTLS', 'ENHANCEDSTATUSCODES', '8BITMIME']);
    expect(p.ehloTlsKeywords).toBeUndefined();
    expect(p.tls).toMatchObject({ protocol: 'TLSv1.3', legacyOnly: false, trust: { trusted: true, verdict: 'trusted' } });
    expect(p.tls?.chain[0]?.dnsNames).toEqual([MX]);
    // No EHLO after TLS by default, and QUIT's 221 is not waited for (round-trips.test.ts).
    expect(sent(p)).toEqual(['EHLO probe.mxtls.test', 'STARTTLS', 'QUIT']);
    expect(p.transcript.some((l) => l.text.startsWith('221'))).toBe(false);
    expect(Number.isNaN(Date.parse(p.startedAt))).toBe(false);
    expect(p.durationMs).toBeGreaterThanOrEqual(0);
    expect(server.connections).toBe(1);
  });

  it('with ehloAfterTls, says EHLO again over TLS and keeps its keywords (STARTTLS no longer offered)', async () => {
    const server = await serve();
    const p = await probeAddress({ address: server.host, hostname: MX }, { ...options(server.port), ehloAfterTls: true });
    expect(p).toMatchObject({ stage: 'done', tls: { protocol: 'TLSv1.3' } });
    expect(p.ehloTlsKeywords).toEqual(['PIPELINING', 'SIZE', 'ENHANCEDSTATUSCODES', '8BITMIME']);
    expect(sent(p)).toEqual(['EHLO probe.mxtls.test', 'STARTTLS', 'EHLO probe.mxtls.test', 'QUIT']);
  });

  it('checks the chain against the given trust store, not a global one', async () => {
    const other = await createCa({ name: 'Some Other Root' });
    const p = await probe(await serve(), {}, [other.certPem]);
    expect(p.stage).toBe('done');
    expect(p.tls?.trust.trusted).toBe(false);
  });

  it('reports a server without STARTTLS', async () => {
    const p = await probe(await serve({ behaviour: 'no-starttls' }));
    expect(p).toMatchObject({ stage: 'done', starttlsOffered: false, heloFallback: false });
    expect(p.failure).toBeUndefined();
    expect(p.tls).toBeUndefined();
    expect(p.starttlsReply).toBeUndefined();
    expect(p.ehloKeywords).not.toContain('STARTTLS');
    expect(sent(p)).toEqual(['EHLO probe.mxtls.test', 'QUIT']);
  });

  it('reports a 554 greeting and still says QUIT', async () => {
    const p = await probe(await serve({ behaviour: 'greeting-554' }));
    expect(p).toMatchObject({
      stage: 'connect',
      greeting: { code: 554 },
      failure: { stage: 'greeting', kind: 'greeting-rejected', message: '554 5.7.1 No SMTP service here' },
    });
    expect(sent(p)).toEqual(['QUIT']);
  });

  it('gives up on a server that never greets within the greeting timeout', async () => {
    const t0 = Date.now();
    const p = await probe(await serve({ behaviour: 'never-greet' }), { greeting: 0.5 });
    expect(Date.now() - t0).toBeLessThan(500 + 1000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(p).toMatchObject({ stage: 'connect', failure: { stage: 'greeting', kind: 'greeting-timeout' } });
    expect(p.greeting).toBeUndefined();
  });

  it('records a refused STARTTLS', async () => {
    const p = await probe(await serve({ behaviour: 'starttls-454' }));
    expect(p).toMatchObject({
      stage: 'ehlo',
      starttlsOffered: true,
      starttlsReply: { code: 454 },
      failure: { stage: 'starttls', kind: 'starttls-rejected', message: expect.stringContaining('454') },
    });
    expect(p.tls).toBeUndefined();
    expect(sent(p)).toEqual(['EHLO probe.mxtls.test', 'STARTTLS', 'QUIT']);
  });

  it('falls back to HELO when EHLO is refused', async () => {
    const p = await probe(await serve({ behaviour: 'ehlo-rejected' }));
    expect(p).toMatchObject({ stage: 'done', heloFallback: true, starttlsOffered: false, ehloKeywords: [] });
    expect(p.failure).toBeUndefined();
    expect(sent(p)).toEqual(['EHLO probe.mxtls.test', 'HELO probe.mxtls.test', 'QUIT']);
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    const p = await probeAddress({ address: HOST, hostname: MX }, options(port));
    expect(p).toMatchObject({ stage: 'connect', failure: { stage: 'connect', kind: 'connect-refused', code: 'ECONNREFUSED' } });
  });

  describe('postscreen-like greeting delay of 1.5 s', () => {
    it('passes with a 3 s greeting timeout, even when commands time out after 1 s', async () => {
      const p = await probe(await serve({ greetingDelayMs: 1500 }), { greeting: 3, command: 1 });
      expect(p.failure).toBeUndefined();
      expect(p.stage).toBe('done');
      expect(p.durationMs).toBeGreaterThanOrEqual(1400);
    });

    it('fails with a 1 s greeting timeout', async () => {
      const p = await probe(await serve({ greetingDelayMs: 1500 }), { greeting: 1, command: 3 });
      expect(p.failure).toMatchObject({ stage: 'greeting', kind: 'greeting-timeout' });
    });
  });

  it('discards plaintext injected after the 220 to STARTTLS instead of reading it as a reply', async () => {
    const injected = '250-mx.evil\r\n250 INJECTED\r\n';
    const server = await serve({ injectAfterStarttls: injected });
    const p = await probeAddress({ address: server.host, hostname: MX }, { ...options(server.port), ehloAfterTls: true });
    expect(p.failure).toBeUndefined();
    expect(p.stage).toBe('done');
    expect(notes(p)).toContainEqual(expect.stringContaining(`discarded ${Buffer.byteLength(injected)} bytes`));
    expect(p.ehloTlsKeywords).not.toContain('INJECTED');
    expect(p.transcript.filter((l) => l.dir === 'S' && l.text.includes('INJECTED'))).toEqual([]);
  });

  it('retries a TLS 1.0-only server with legacy settings and marks the result legacyOnly', async () => {
    const server = await serve({
      tls: { certPem: leaf.chainPem, keyPem: leaf.keyPem, minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
    });
    const p = await probe(server);
    expect(p.failure).toBeUndefined();
    expect(p).toMatchObject({ stage: 'done', tls: { protocol: 'TLSv1', legacyOnly: true } });
    expect(server.connections).toBe(2);
    expect(notes(p)).toContainEqual(expect.stringMatching(/^tls failed: tls-handshake-failed/));
    expect(notes(p)).toContainEqual(expect.stringContaining('legacy TLS'));
  });

  it('probes over IPv6 on ::1', async () => {
    const server = await serve({ host: '::1' });
    const p = await probe(server);
    expect(p).toMatchObject({ address: '::1', family: 6, stage: 'done', tls: { trust: { trusted: true } } });
    expect(p.failure).toBeUndefined();
  });
});

describe('probeAddress never rejects', () => {
  it('turns an exception (an invalid port) into an io-error at the current stage', async () => {
    const p = await probeAddress({ address: HOST, hostname: MX }, options(70000));
    expect(p).toMatchObject({ stage: 'connect', failure: { stage: 'connect', kind: 'io-error', code: 'ERR_SOCKET_BAD_PORT' } });
  });

  it('refuses to resolve a host name behind the scanner’s back', async () => {
    const p = await probeAddress({ address: 'localhost', hostname: MX }, options(25));
    expect(p).toMatchObject({ stage: 'connect', failure: { stage: 'connect', kind: 'io-error', message: expect.stringContaining('not an IP') } });
  });
});
