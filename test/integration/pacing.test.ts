// Pacing over the lab through the package entry (issue 16 item 2): no MX provider sees more
// than its limit of connections at once, however many of its addresses a run probes and however
// high the global limit; transient answers (4xx) are retried later, 5xx never, and a run never
// retries forever.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseResolverAddress, scanDomains, type RunItem } from 'mxtls';
import { createLabPki, type LabLeaf, type LabPki } from '../../fixtures/certs.js';
import { startDnsServer, type DnsServerHandle, type Zone } from '../../fixtures/dns-server.js';
import { startSmtpServer, type SmtpServerHandle, type SmtpServerOptions } from '../../fixtures/smtp-server.js';
import { loopbackAddress } from '../../fixtures/synthetic-lab.js';

/** Loopback block of this file (127.31.x.y), apart from the fixed lab addresses. */
const BASE = 31;
const PORTLESS = 0;

let pki: LabPki;
let leaf: LabLeaf;
let caFile: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pki = await createLabPki({ keyType: 'ecdsa' });
  leaf = await pki.leaf({ dnsNames: ['*.provider.test', '*.mail.provider.test', '*.other.test', '*.solo.test'], keyType: 'ecdsa' });
  const dir = mkdtempSync(join(tmpdir(), 'mxtls-pacing-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.root.certPem);
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

afterAll(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function smtp(hosts: string[], opts: SmtpServerOptions = {}): Promise<SmtpServerHandle> {
  const server = await startSmtpServer({ hosts, port: PORTLESS, tls: { certPem: leaf.chainPem, keyPem: leaf.keyPem }, ...opts });
  closers.push(() => server.close());
  return server;
}

async function dns(zone: Zone): Promise<DnsServerHandle> {
  const server = await startDnsServer({ host: loopbackAddress(0, BASE + 1), port: 0, zone });
  closers.push(() => server.close());
  return server;
}

/** `count` domains d<i>.<suffix>, each with its own MX host mx<i>.<provider> on its own address. */
function domainsOn(zone: Zone, suffix: string, provider: string, addresses: string[]): string[] {
  return addresses.map((address, i) => {
    const domain = `d${i}.${suffix}`;
    zone[domain] = { MX: [{ preference: 10, exchange: `mx${i}.${provider}` }] };
    zone[`mx${i}.${provider}`] = { A: [address] };
    return domain;
  });
}

async function scan(domains: string[], resolver: DnsServerHandle, port: number, extra: Parameters<typeof scanDomains>[1] = {}): Promise<RunItem[]> {
  const items: RunItem[] = [];
  const run = scanDomains(domains, {
    resolvers: [parseResolverAddress(`${resolver.host}:${resolver.port}`)],
    port,
    caFile,
    ehloName: 'test.mxtls.test',
    timeouts: { connect: 4, greeting: 4, command: 4, tls: 4 },
    ...extra,
  });
  for await (const item of run) items.push(item);
  return items;
}

const addressesFrom = (first: number, count: number) => Array.from({ length: count }, (_, i) => loopbackAddress(first + i, BASE));

describe('per-provider limit', () => {
  it('a provider with 12 MX addresses never sees more than 2 connections at once, at concurrency 50', async () => {
    const provider = addressesFrom(0, 12);
    const other = addressesFrom(20, 12);
    // A greeting delay keeps connections open long enough to overlap when nothing holds them back.
    const server = await smtp(provider, { greetingDelayMs: 150 });
    const otherServer = await smtp(other, { port: server.port, greetingDelayMs: 150 });
    const zone: Zone = {};
    const domains = [...domainsOn(zone, 'example.test', 'mail.provider.test', provider), ...domainsOn(zone, 'example.org', 'other.test', other)];
    const items = await scan(domains, await dns(zone), server.port, { concurrency: 50 });
    expect(items.map((i) => i.recommendation.level)).toEqual(Array(24).fill('verify'));
    expect(server.connections).toBe(12);
    expect(server.peakSessions).toBe(2);
    // The other provider had its own 2 slots, not a share of the first one's.
    expect(otherServer.peakSessions).toBe(2);
  });

  it('follows --per-provider: 4 allowed, 4 used', async () => {
    const provider = addressesFrom(40, 8);
    const server = await smtp(provider, { greetingDelayMs: 150 });
    const zone: Zone = {};
    const items = await scan(domainsOn(zone, 'example.test', 'provider.test', provider), await dns(zone), server.port, { concurrency: 50, perProvider: 4 });
    expect(items).toHaveLength(8);
    expect(server.peakSessions).toBe(4);
  });
});

describe('later retry of transient answers', () => {
  const retryDelays = [0.2, 0.2];

  /** One domain whose one MX address (lab address `octet`) is a server behaving as `opts`, scanned with retries. */
  async function scanOne(octet: number, opts: SmtpServerOptions) {
    const [address] = addressesFrom(octet, 1);
    const server = await smtp([address!], opts);
    const zone: Zone = {};
    const [item] = await scan(domainsOn(zone, 'example.test', 'solo.test', [address!]), await dns(zone), server.port, { retryDelays });
    return { server, item: item!, probe: item!.result.hosts[0]!.addresses[0]!.probe };
  }

  it('a 421 greeting is retried later; the result keeps the first answer', async () => {
    const { server, item, probe } = await scanOne(60, { transient: { stage: 'greeting', reply: '421 4.7.0 too many connections', times: 1 } });
    expect(server.connections).toBe(2);
    expect(probe).toMatchObject({ stage: 'done', tls: { protocol: 'TLSv1.3' } });
    expect(probe.failure).toBeUndefined();
    expect(probe.earlierAttempts).toEqual([{ startedAt: expect.any(String), stage: 'greeting', reply: { code: 421, lines: ['4.7.0 too many connections'] } }]);
    expect(Date.parse(probe.startedAt) - Date.parse(probe.earlierAttempts![0]!.startedAt)).toBeGreaterThanOrEqual(150);
    expect(item.recommendation.level).toBe('verify');
  });

  it('a greylisting-style 4xx to EHLO on a first connection is retried', async () => {
    const { server, item, probe } = await scanOne(61, { transient: { stage: 'ehlo', reply: '450 4.7.1 greylisted, come back later', times: 1 } });
    expect(server.connections).toBe(2);
    expect(probe.earlierAttempts).toEqual([{ startedAt: expect.any(String), stage: 'ehlo', reply: { code: 450, lines: ['4.7.1 greylisted, come back later'] } }]);
    expect(item.recommendation.level).toBe('verify');
  });

  it('gives up after the last delay: three attempts, the last answer stands', async () => {
    const { server, item, probe } = await scanOne(62, { transient: { stage: 'greeting', reply: '421 4.3.2 busy', times: 10 } });
    expect(server.connections).toBe(3);
    expect(probe.failure).toMatchObject({ stage: 'greeting', kind: 'greeting-rejected', reply: { code: 421 } });
    expect(probe.earlierAttempts?.map((a) => a.reply.code)).toEqual([421, 421]);
    expect(item.recommendation.kind).toBe('unknown');
  });

  it('never retries a 5xx', async () => {
    const { server, probe } = await scanOne(63, { behaviour: 'greeting-554' });
    expect(server.connections).toBe(1);
    expect(probe.earlierAttempts).toBeUndefined();
  });

  it('an aborted run does not wait for its retries', async () => {
    const [address] = addressesFrom(64, 1);
    const server = await smtp([address!], { transient: { stage: 'greeting', reply: '421 4.7.0 too many connections', times: 1 } });
    const zone: Zone = {};
    const controller = new AbortController();
    const t0 = performance.now();
    const pending = scan(domainsOn(zone, 'example.test', 'solo.test', [address!]), await dns(zone), server.port, { retryDelays: [60], signal: controller.signal });
    await expect.poll(() => server.connections).toBe(1);
    controller.abort();
    const [item] = await pending;
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(server.connections).toBe(1);
    expect(item!.result.hosts[0]!.addresses[0]!.probe.failure).toMatchObject({ reply: { code: 421 } });
  });
});
