import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../src/input/shard.js';

describe('shardOf', () => {
  // Pinned from outside Node: `printf %s example.com | sha256sum | cut -c1-16`, then that hex
  // number mod N, plus 1 (python3). A change here moves domains between machines: never do it.
  it.each([
    ['example.com', [2, 2, 10]],
    ['gmail.com', [1, 2, 3]],
    ['xn--bcher-kva.example', [1, 2, 1]],
    ['[mx.example.com]:587', [2, 2, 2]],
    ['valid.test', [1, 2, 9]],
  ] as const)('%s lands in the same shard everywhere', (domain, shards) => {
    expect([2, 3, 10].map((n) => shardOf(domain, n))).toEqual(shards);
  });

  it('puts every domain in exactly one shard, and spreads 10,000 domains evenly', async () => {
    const domains = Array.from({ length: 10_000 }, (_, i) => `d${i}.example`);
    const n = 7;
    const counts = new Array<number>(n).fill(0);
    const seen = new Map<string, number>();
    for (let k = 1; k <= n; k++) {
      for await (const e of inShard(domains.map((domain) => ({ domain })), { index: k, count: n })) {
        expect(seen.has(e.domain)).toBe(false);
        seen.set(e.domain, k);
        counts[k - 1]!++;
      }
    }
    expect(seen.size).toBe(domains.length);
    // Expected 1,428.6 per shard, binomial sd ~35: ±10% is ~4 sd.
    for (const c of counts) expect(Math.abs(c - 10_000 / n)).toBeLessThan(143);
  });

  it('1/1 keeps everything', async () => {
    const all = [{ domain: 'a.example' }, { domain: 'b.example' }];
    const kept = [];
    for await (const e of inShard(all, { index: 1, count: 1 })) kept.push(e);
    expect(kept).toEqual(all);
  });
});

describe('parseShard', () => {
  it('reads K/N', () => {
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(parseShard('3/3')).toEqual({ index: 3, count: 3 });
  });
  it.each(['0/3', '4/3', '1/0', '3', '1/3/4', '-1/3', 'a/b', '1.5/3', ''])('refuses %j', (text) => {
    expect(() => parseShard(text)).toThrow(/--shard must be K\/N/);
  });
});

describe('the package entry', () => {
  it('exports the shard rule for library users who split a list themselves', async () => {
    const api = await import('mxtls');
    const entries = [{ domain: 'example.com' }, { domain: 'gmail.com' }, { domain: 'valid.test' }];
    const second = [];
    for await (const e of api.inShard(entries, api.parseShard('2/10'))) second.push(e.domain);
    // example.com is in shard 10 of 10, gmail.com in 3, valid.test in 9 (pinned above): none in 2.
    expect(second).toEqual([]);
    expect(entries.map((e) => api.shardOf(e.domain, 10))).toEqual([10, 3, 9]);
  });
});
