import https from 'node:https';
import net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLabPki, createSelfSigned, type LabPki } from '../../fixtures/certs.js';
import { fetchStsPolicy, policyUrl, type FetchPolicyOptions } from '../../src/mta-sts/fetch-policy.js';

const HOST = '127.0.0.91';
const NAME = 'mta-sts.example.test';
const POLICY = 'version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n';

let pki: LabPki;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  pki = await createLabPki();
});

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface PolicyServer {
  port: number;
  /** Every request: path, Host header, SNI name. */
  requests: Array<{ path: string; host: string | undefined; servername: string | false | null }>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function startServer(handler: Handler, cert?: { certPem: string; keyPem: string; chainPem?: string }): Promise<PolicyServer> {
  const tlsCert = cert ?? (await pki.leaf({ dnsNames: [NAME] }));
  const info: PolicyServer = { port: 0, requests: [] };
  const server = https.createServer({ cert: 'chainPem' in tlsCert && tlsCert.chainPem ? tlsCert.chainPem : tlsCert.certPem, key: tlsCert.keyPem }, (req, res) => {
    info.requests.push({ path: req.url ?? '', host: req.headers.host, servername: (req.socket as TLSSocket).servername });
    handler(req, res);
  });
  server.on('tlsClientError', () => {}); // the client hangs up on a certificate it rejects
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  info.port = (server.address() as AddressInfo).port;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return info;
}

const policy: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(POLICY);
};

function options(server: PolicyServer, extra: FetchPolicyOptions = {}): FetchPolicyOptions {
  return { ca: [pki.root.certPem], timeoutMs: 3000, connectTo: { [NAME]: { address: HOST, port: server.port } }, ...extra };
}

describe('fetchStsPolicy', () => {
  it('fetches the policy over verified HTTPS, with SNI and Host set to the mta-sts name', async () => {
    const server = await startServer(policy);
    const result = await fetchStsPolicy('Example.Test.', options(server));
    expect(result).toEqual({ ok: true, url: 'https://mta-sts.example.test/.well-known/mta-sts.txt', body: POLICY, contentType: 'text/plain' });
    expect(server.requests).toEqual([{ path: '/.well-known/mta-sts.txt', host: NAME, servername: NAME }]);
  });

  it('accepts text/plain with parameters', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'Text/Plain; charset=utf-8' });
      res.end(POLICY);
    });
    expect(await fetchStsPolicy('example.test', options(server))).toMatchObject({ ok: true, body: POLICY });
  });

  it('rejects a certificate for another name', async () => {
    const server = await startServer(policy, await pki.leaf({ dnsNames: ['mta-sts.other.test'] }));
    const result = await fetchStsPolicy('example.test', options(server));
    expect(result).toMatchObject({ ok: false, kind: 'tls' });
    expect(server.requests).toEqual([]);
  });

  it('rejects a self-signed certificate for the right name', async () => {
    const server = await startServer(policy, await createSelfSigned({ dnsNames: [NAME] }));
    const result = await fetchStsPolicy('example.test', options(server));
    expect(result).toMatchObject({ ok: false, kind: 'tls' });
    if (!result.ok) expect(result.detail).toMatch(/self[- ]signed/i);
    expect(server.requests).toEqual([]);
  });

  it('trusts only the CAs given: the lab chain fails against Node\'s own roots', async () => {
    const server = await startServer(policy);
    const result = await fetchStsPolicy('example.test', { ...options(server), ca: undefined });
    expect(result).toMatchObject({ ok: false, kind: 'tls' });
  });

  it('does not follow a redirect', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/.well-known/mta-sts.txt') {
        res.writeHead(301, { location: `https://${NAME}/elsewhere.txt` });
        res.end();
        return;
      }
      policy(req, res);
    });
    const result = await fetchStsPolicy('example.test', options(server));
    expect(result).toMatchObject({ ok: false, kind: 'http-status', status: 301, location: `https://${NAME}/elsewhere.txt` });
    expect(server.requests.map((r) => r.path)).toEqual(['/.well-known/mta-sts.txt']);
  });

  it.each([404, 500, 204])('fails on HTTP %i', async (status) => {
    const server = await startServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 204 ? undefined : POLICY);
    });
    expect(await fetchStsPolicy('example.test', options(server))).toMatchObject({ ok: false, kind: 'http-status', status });
  });

  it.each(['text/html', 'application/octet-stream', 'text/plainx', ''])('fails on content type %j', async (type) => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, type === '' ? {} : { 'content-type': type });
      res.end(POLICY);
    });
    expect(await fetchStsPolicy('example.test', options(server))).toMatchObject({ ok: false, kind: 'content-type', status: 200 });
  });

  it('stops reading a streamed body over the cap', async () => {
    let written = 0;
    let closed = false;
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }); // chunked: no Content-Length to trust
      const line = 'x_pad: ' + 'a'.repeat(1016) + '\n';
      const timer = setInterval(() => {
        if (res.destroyed || written > 10 * 1024 * 1024) {
          closed = res.destroyed;
          clearInterval(timer);
          res.destroy();
          return;
        }
        for (let i = 0; i < 16; i++) {
          res.write(line);
          written += line.length;
        }
      }, 1);
    });
    const result = await fetchStsPolicy('example.test', options(server, { maxBytes: 64 * 1024 }));
    expect(result).toMatchObject({ ok: false, kind: 'too-large' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true); // the client hung up instead of reading on
    expect(written).toBeLessThan(10 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the cap without reading it', async () => {
    const server = await startServer((_req, res) => {
      // Announce a large body, send a little of it and stall: only the header can tell.
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(64 * 1024 + 1) });
      res.write(POLICY);
    });
    const result = await fetchStsPolicy('example.test', options(server, { timeoutMs: 1000 }));
    expect(result).toMatchObject({ ok: false, kind: 'too-large' });
    if (!result.ok) expect(result.detail).toMatch(/Content-Length 65537/);
  });

  it('accepts a body of exactly the cap', async () => {
    const body = POLICY + 'x: ' + 'a'.repeat(64 * 1024 - POLICY.length - 4) + '\n';
    expect(Buffer.byteLength(body)).toBe(64 * 1024);
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(body);
    });
    expect(await fetchStsPolicy('example.test', options(server))).toMatchObject({ ok: true, body });
  });

  it('gives up on a slow body at the deadline', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('version: STSv1\n'); // and never more
    });
    const started = Date.now();
    const result = await fetchStsPolicy('example.test', options(server, { timeoutMs: 300 }));
    expect(result).toMatchObject({ ok: false, kind: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up on a server that never answers the TLS handshake', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, HOST, resolve));
    const sockets = new Set<net.Socket>();
    silent.on('connection', (s) => sockets.add(s));
    cleanups.push(() => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); silent.close(() => resolve()); }));
    const port = (silent.address() as AddressInfo).port;
    const result = await fetchStsPolicy('example.test', { ca: [pki.root.certPem], timeoutMs: 300, connectTo: { [NAME]: { address: HOST, port } } });
    expect(result).toMatchObject({ ok: false, kind: 'timeout' });
  });

  it('a server that resets during the TLS handshake is a TLS failure, not a connect failure', async () => {
    // It reads the ClientHello, then resets: Node says ECONNRESET, which by itself names no stage.
    const resetting = net.createServer((s) => s.once('data', () => s.resetAndDestroy()));
    await new Promise<void>((resolve) => resetting.listen(0, HOST, resolve));
    cleanups.push(() => new Promise<void>((resolve) => resetting.close(() => resolve())));
    const port = (resetting.address() as AddressInfo).port;
    const result = await fetchStsPolicy('example.test', { ca: [pki.root.certPem], timeoutMs: 2000, connectTo: { [NAME]: { address: HOST, port } } });
    expect(result).toMatchObject({ ok: false, kind: 'tls' });
  });

  it('reports a refused connection', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, HOST, resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await fetchStsPolicy('example.test', { ca: [pki.root.certPem], timeoutMs: 2000, connectTo: { [NAME]: { address: HOST, port } } });
    expect(result).toMatchObject({ ok: false, kind: 'connect' });
  });

  it('builds the URL from the domain', () => {
    expect(policyUrl('EXAMPLE.com.')).toBe('https://mta-sts.example.com/.well-known/mta-sts.txt');
  });
});
