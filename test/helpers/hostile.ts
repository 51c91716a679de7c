// Shared by the hostile-server suite: probe a hostile server through scanDomain (an injected
// resolver maps the test domain to the server's address), then run the policy and every
// renderer over the result and check that nothing the server sent broke a line or reached a key.
import { afterEach, expect } from 'vitest';
import { startHostileServer, type HostileScript, type HostileServer } from '../../fixtures/hostile-servers.js';
import { recommendPolicy } from '../../src/policy/recommend.js';
import { renderDetail } from '../../src/output/detail.js';
import { ndjsonLine } from '../../src/output/ndjson.js';
import { renderPerSiteFile } from '../../src/output/per-site.js';
import { renderPolicyFile } from '../../src/output/policy-file.js';
import { renderSummaryTable } from '../../src/output/table.js';
import { probeAddress } from '../../src/probe/probe-address.js';
import { scanDomain } from '../../src/scan/scan-domain.js';
import type { AddressProbe, DnsAnswer, DomainResult, PolicyRecommendation, ProbeOptions, Resolver, Timeouts } from '../../src/types.js';

export const DOMAIN = 'hostile.test';
export const MX = 'mx.hostile.test';

export function probeOptions(port: number, timeouts: Partial<Timeouts> = {}, ca: string[] = []): ProbeOptions {
  return {
    port,
    ehloName: 'probe.mxtls.test',
    timeouts: { connect: 2, greeting: 2, command: 2, tls: 2, ...timeouts },
    trust: { ca, source: 'hostile suite' },
  };
}

const answer = <T>(records: T[]): DnsAnswer<T> => ({ status: records.length ? 'ok' : 'nodata', records, cnames: [], authenticated: false });

/** DOMAIN → MX → `address`; everything else NXDOMAIN. */
export function resolverFor(address: string): Resolver {
  const nx = <T>(): DnsAnswer<T> => ({ status: 'nxdomain', records: [], cnames: [], authenticated: false });
  return {
    mx: async (n) => (n === DOMAIN ? answer([{ preference: 10, exchange: MX }]) : nx()),
    a: async (n) => (n === MX ? answer([address]) : n === DOMAIN ? answer<string>([]) : nx()),
    aaaa: async (n) => (n === MX || n === DOMAIN ? answer<string>([]) : nx()),
  };
}

/**
 * Starts hostile servers on `host` for the calling test file; every server a test started is
 * closed after that test. Call at the top level of the file (it registers an afterEach).
 */
export function hostileServerPool(host: string): (script: HostileScript) => Promise<HostileServer> {
  const servers: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (script) => {
    const server = await startHostileServer(host, script);
    servers.push(server);
    return server;
  };
}

/** The texts of the transcript lines one side sent: 'C' client, 'S' server, '*' our notes. */
export const transcriptLines = (transcript: readonly { dir: string; text: string }[], dir: 'C' | 'S' | '*'): string[] =>
  transcript.filter((l) => l.dir === dir).map((l) => l.text);

export interface Scanned {
  result: DomainResult;
  rec: PolicyRecommendation;
  probe: AddressProbe;
  elapsedMs: number;
}

/** Scans DOMAIN with its one MX address served by `host:port`. */
export async function scanHostile(host: string, port: number, timeouts: Partial<Timeouts> = {}, ca: string[] = [], extra: Partial<ProbeOptions> = {}): Promise<Scanned> {
  const opts = { ...probeOptions(port, timeouts, ca), ...extra };
  const t0 = performance.now();
  const result = await scanDomain({ domain: DOMAIN }, { resolver: resolverFor(host), probe: (t) => probeAddress(t, opts) });
  const elapsedMs = performance.now() - t0;
  const probe = result.hosts[0]?.addresses[0]?.probe;
  if (!probe) throw new Error('scanDomain did not probe the hostile server');
  return { result, rec: recommendPolicy(result), probe, elapsedMs };
}

/** C0, DEL, C1, bidi controls, line/paragraph separators, zero-width characters, BOM. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

function expectNoUnsafe(text: string, what: string): void {
  const bad = UNSAFE.exec(text);
  expect(bad, `${what} carries ${JSON.stringify(bad?.[0])} at ${bad?.index}`).toBeNull();
}

/** A second, well-behaved row, so the summary table (not the detail view) is rendered. */
const META = { version: '0.0.0-test', generatedAt: new Date('2026-01-01T00:00:00Z') };

/**
 * Every renderer over the scanned result: the policy and per-site files hold comments and at
 * most one line, whose key is DOMAIN; the summary table has exactly one row; nothing carries a
 * control or line-breaking character; the NDJSON line is one parseable line.
 */
export function expectSafeOutputs({ result, rec }: Scanned, forbidden: string[] = []): void {
  const items = [{ result, rec }];
  expect(rec.domain).toBe(DOMAIN);

  const policy = renderPolicyFile(META, items);
  expectNoUnsafe(policy, 'the policy file');
  const policyLines = policy.split('\n').filter((line) => line !== '');
  for (const line of policyLines) {
    if (line.startsWith('#')) continue;
    expect(line).toMatch(/^hostile\.test +(may|encrypt|verify)$/);
  }
  expect(policyLines.filter((line) => !line.startsWith('#')).length).toBe(rec.kind === 'line' ? 1 : 0);

  const perSite = renderPerSiteFile(META, items);
  expectNoUnsafe(perSite, 'the per-site file');
  for (const line of perSite.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
    expect(line).toMatch(/^hostile\.test +[A-Z_]+$/);
  }

  const other = { result: { ...result, domain: 'other.test', hosts: [] }, rec: { ...rec, domain: 'other.test' } };
  const table = renderSummaryTable([{ result, rec }, other], { color: false });
  expectNoUnsafe(table, 'the summary table');
  const rows = table.split('\n');
  // header, two rows, blank line, tally, final newline
  expect(rows).toHaveLength(6);
  expect(rows[1]!.startsWith(DOMAIN)).toBe(true);
  expect(rows[2]!.startsWith('other.test')).toBe(true);

  const detail = renderDetail(result, rec, { color: false, now: new Date() });
  expectNoUnsafe(detail, 'the detail view');

  const ndjson = ndjsonLine(result, rec);
  expect(ndjson.indexOf('\n')).toBe(ndjson.length - 1);
  // JSON keeps server text faithfully (escaped by JSON's rules); only line breaks must not survive.
  expect(ndjson.slice(0, -1)).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
  expect(() => JSON.parse(ndjson)).not.toThrow();

  for (const text of forbidden) {
    // Server-chosen text may show up escaped in a comment or a cell, but never as a line start.
    for (const output of [policy, perSite, table, detail]) {
      for (const line of output.split('\n')) expect(line.trimStart().startsWith(text), `a line starts with ${text}`).toBe(false);
    }
  }
}

/** Samples heap + array buffers while `run` runs; returns its result and the peak growth in bytes. */
export async function withPeakMemory<T>(run: () => Promise<T>): Promise<{ value: T; growth: number }> {
  const usage = (): number => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = usage();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, usage());
  }, 5);
  try {
    const value = await run();
    peak = Math.max(peak, usage());
    return { value, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}
