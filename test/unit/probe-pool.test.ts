import { describe, expect, it } from 'vitest';
import { cachedResolver } from '../../src/dns/cached-resolver.js';
import { KeyedSemaphore } from '../../src/util/keyed-semaphore.js';
import { createProbePool } from '../../src/scan/probe-pool.js';
import type { ProbeFn } from '../../src/scan/scan-domain.js';
import type { DnsAnswer, Resolver } from '../../src/types.js';
import { probeFor } from '../helpers/result-builder.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A prober that records concurrency overall and per address. */
function meteredProber(delayMs: number) {
  const active = new Map<string, number>();
  let total = 0;
  let peakTotal = 0;
  let peakPerIp = 0;
  let calls = 0;
  const probe: ProbeFn = async (t) => {
    calls++;
    total++;
    active.set(t.address, (active.get(t.address) ?? 0) + 1);
    peakTotal = Math.max(peakTotal, total);
    peakPerIp = Math.max(peakPerIp, active.get(t.address)!);
    await tick(delayMs);
    total--;
    active.set(t.address, active.get(t.address)! - 1);
    return probeFor(t.address, t.hostname, 'no-starttls');
  };
  return { probe, stats: () => ({ calls, peakTotal, peakPerIp }) };
}

describe('createProbePool', () => {
  it('probes each address:port once however many domains ask', async () => {
    const m = meteredProber(5);
    const pool = createProbePool(m.probe, { concurrency: 10, perIp: 2 });
    const asks = Array.from({ length: 300 }, (_, i) => pool.probe({ address: `192.0.2.${(i % 3) + 1}`, hostname: 'mx.test' }));
    const results = await Promise.all(asks);
    expect(m.stats().calls).toBe(3);
    expect(pool.started()).toBe(3);
    expect(new Set(results.map((r) => r.address)).size).toBe(3);
    await pool.probe({ address: '192.0.2.1', hostname: 'mx.test', port: 2525 });
    expect(m.stats().calls).toBe(4);
  });

  it('holds the per-IP and the global limits', async () => {
    const m = meteredProber(3);
    const pool = createProbePool(m.probe, { concurrency: 5, perIp: 2 });
    // Distinct ports make distinct probes of few addresses.
    await Promise.all(Array.from({ length: 60 }, (_, i) => pool.probe({ address: `192.0.2.${i % 4}`, hostname: 'mx.test', port: 1000 + i })));
    expect(m.stats().calls).toBe(60);
    expect(m.stats().peakPerIp).toBe(2);
    expect(m.stats().peakTotal).toBeLessThanOrEqual(5);
    expect(m.stats().peakTotal).toBeGreaterThan(2);
  });

  it('a slow address does not hold global slots while it waits for its own', async () => {
    const slow: ProbeFn = async (t) => {
      await tick(t.address === '192.0.2.99' ? 60 : 1);
      return probeFor(t.address, t.hostname, 'no-starttls');
    };
    const pool = createProbePool(slow, { concurrency: 2, perIp: 1 });
    const slowOnes = Array.from({ length: 5 }, (_, i) => pool.probe({ address: '192.0.2.99', hostname: 's', port: 1 + i }));
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => pool.probe({ address: `192.0.2.${i + 1}`, hostname: 'f' })));
    // One slow probe runs at a time (per-IP 1), leaving a global slot to the fast ones.
    expect(Date.now() - started).toBeLessThan(150);
    await Promise.all(slowOnes);
  });

  it('forgets the oldest finished probes past its cache size', async () => {
    const m = meteredProber(0);
    const pool = createProbePool(m.probe, { concurrency: 4, perIp: 2, cacheSize: 2 });
    for (const a of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.1']) await pool.probe({ address: a, hostname: 'x' });
    expect(m.stats().calls).toBe(4);
  });
});

describe('KeyedSemaphore', () => {
  it('keeps no entry for idle keys', async () => {
    const s = new KeyedSemaphore(1);
    await s.acquire('a');
    const waiting = s.acquire('a');
    s.release('a');
    await waiting;
    expect(s.size).toBe(1);
    s.release('a');
    expect(s.size).toBe(0);
  });
});

describe('cachedResolver', () => {
  const ok = (records: string[]): DnsAnswer<string> => ({ status: 'ok', records, cnames: [], authenticated: false });

  it('asks once per name and type, sharing questions in flight', async () => {
    let asked = 0;
    const inner: Resolver = {
      mx: async () => ({ status: 'nodata', records: [], cnames: [], authenticated: false }),
      a: async (n) => (asked++, await tick(2), ok([n === 'x.test' ? '192.0.2.1' : '192.0.2.2'])),
      aaaa: async () => ({ status: 'nodata', records: [], cnames: [], authenticated: false }),
    };
    const r = cachedResolver(inner);
    const answers = await Promise.all([r.a('x.test'), r.a('x.test'), r.a('y.test')]);
    await r.a('x.test');
    expect(asked).toBe(2);
    expect(answers.map((a) => a.records[0])).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.2']);
  });

  it('asks again after a timeout', async () => {
    let asked = 0;
    const inner: Resolver = {
      mx: async () => ok([]) as never,
      a: async () => (asked++, { status: 'timeout', records: [], cnames: [], authenticated: false }),
      aaaa: async () => ok([]),
    };
    const r = cachedResolver(inner);
    await r.a('t.test');
    await tick(0);
    await r.a('t.test');
    expect(asked).toBe(2);
  });
});
