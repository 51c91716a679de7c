// Round trips per probe (issue 16 item 2), counted by a proxy that delays every exchange: a TLS
// 1.3 probe waits for the greeting and the replies to EHLO, STARTTLS and the handshake (4, plus
// the TCP connect on a real network); QUIT is sent without waiting for its 221, and the EHLO
// after TLS is one more only when asked for. The server still receives QUIT (Postfix logs
// quit=1; test/interop/posttls-finger.test.ts checks the real one). Before this, 6.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabPki } from '../../fixtures/certs.js';
import { startSmtpServer, type SmtpServerHandle } from '../../fixtures/smtp-server.js';
import { probeAddress } from '../../src/probe/probe-address.js';
import type { ProbeOptions } from '../../src/types.js';
import { startDelayProxy, type DelayProxy } from '../../fixtures/delay-proxy.js';

const HOST = '127.0.0.42';
const MX = 'mx.lab.test';
const RTT_MS = 100;

let server: SmtpServerHandle;
let proxy: DelayProxy;
let ca: string;

beforeAll(async () => {
  const pki = await createLabPki({ keyType: 'ecdsa' });
  const leaf = await pki.leaf({ dnsNames: [MX], keyType: 'ecdsa' });
  ca = pki.root.certPem;
  server = await startSmtpServer({ host: HOST, tls: { certPem: leaf.chainPem, keyPem: leaf.keyPem } });
  proxy = await startDelayProxy(HOST, server, RTT_MS);
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

function options(extra: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    port: proxy.port,
    ehloName: 'probe.mxtls.test',
    timeouts: { connect: 5, greeting: 5, command: 5, tls: 5 },
    trust: { ca: [ca], source: 'lab root' },
    ...extra,
  };
}

/** One probe through the proxy: the round trips it waited for, and the commands it sent. */
async function roundTrips(extra: Partial<ProbeOptions> = {}): Promise<{ rtts: number; sent: string[] }> {
  const quitsBefore = server.quits;
  const p = await probeAddress({ address: HOST, hostname: MX }, options(extra));
  expect(p.failure).toBeUndefined();
  expect(p.stage).toBe('done');
  expect(p.tls?.protocol).toBe('TLSv1.3');
  // QUIT reaches the server although the probe did not wait for the answer.
  await expect.poll(() => server.quits, { timeout: 3 * RTT_MS }).toBe(quitsBefore + 1);
  // The count is final once the client has closed.
  await expect.poll(() => proxy.open, { timeout: 3 * RTT_MS }).toBe(0);
  return { rtts: proxy.turns.at(-1)!, sent: p.transcript.filter((l) => l.dir === 'C').map((l) => l.text) };
}

describe('round trips of one probe', () => {
  it('costs 4 round trips behind the connect by default: no EHLO after TLS, no wait for 221', async () => {
    const { rtts, sent } = await roundTrips();
    expect(sent).toEqual(['EHLO probe.mxtls.test', 'STARTTLS', 'QUIT']);
    expect(rtts).toBe(4);
  });

  it('costs one more with the EHLO after TLS', async () => {
    const { rtts, sent } = await roundTrips({ ehloAfterTls: true });
    expect(sent).toEqual(['EHLO probe.mxtls.test', 'STARTTLS', 'EHLO probe.mxtls.test', 'QUIT']);
    expect(rtts).toBe(5);
  });
});
