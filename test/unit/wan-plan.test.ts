// The WAN bench's lab plan and RTTs (fixtures/wan/plan.ts, rtt.ts): exact shares, spread over
// the list, distinct addresses in the right ranges, and RTTs inside the configured spread.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SHARES, makePlan, NET, SERVER_KINDS } from '../../fixtures/wan/plan.js';
import { delayLineArgs, ipv4ToNumber, rttFor } from '../../fixtures/wan/rtt.js';

const options = { domains: 10_000, addresses: 10_000, shares: DEFAULT_SHARES, limitedServers: 4, greylistSeconds: 30 };

describe('makePlan', () => {
  const plan = makePlan(options);

  it('gives each kind its share of the addresses, spread over the whole list', () => {
    const count = (kind: string) => plan.addresses.filter((a) => a.kind === kind).length;
    expect(count('postscreen')).toBe(500);
    expect(count('limited')).toBe(200);
    expect(count('tarpit')).toBe(300);
    expect(count('greylist')).toBe(300);
    expect(count('close-after-greeting')).toBe(100);
    expect(count('normal')).toBe(8600);
    // Spread: every tenth of the list holds some of each awkward kind.
    for (let part = 0; part < 10; part++) {
      const slice = plan.addresses.slice(part * 1000, (part + 1) * 1000);
      for (const kind of SERVER_KINDS) expect(slice.some((a) => a.kind === kind), `${kind} in part ${part}`).toBe(true);
    }
  });

  it('puts postscreen addresses in their range and the rest in the lab range, all distinct', () => {
    expect(new Set(plan.addresses.map((a) => a.address)).size).toBe(10_000);
    const inRange = (address: string, base: number, bits: number) => ipv4ToNumber(address) >>> (32 - bits) === base >>> (32 - bits);
    for (const a of plan.addresses) {
      if (a.kind === 'postscreen') expect(inRange(a.address, NET.postscreenBase, 18), a.address).toBe(true);
      else expect(inRange(a.address, NET.labBase, 16), a.address).toBe(true);
      expect(a.address).not.toMatch(/\.(0|255)$/);
    }
  });

  it('groups the limited addresses into servers allowing 1 or 2 connections', () => {
    const limited = plan.addresses.filter((a) => a.kind === 'limited');
    expect(new Set(limited.map((a) => a.server))).toEqual(new Set([0, 1, 2, 3]));
    for (const a of limited) expect(a.limit).toBe(1 + (a.server! % 2));
  });

  it('shares MX addresses between domains when there are fewer addresses', () => {
    const shared = makePlan({ ...options, domains: 100, addresses: 15 });
    expect(shared.domains).toHaveLength(100);
    const mx5 = shared.zone['d20.wan.test']?.MX?.[0]?.exchange;
    expect(shared.zone['d5.wan.test']?.MX?.[0]?.exchange).toBe(mx5);
    expect(shared.zone[mx5!]?.A).toEqual([shared.addresses[5]!.address]);
  });

  it('names each MX host under its provider: a limited server is one provider, most addresses their own', () => {
    const provider = (host: string) => host.split('.').slice(-2).join('.');
    const hostOf = (i: number) => plan.zone[plan.domains[i]!]?.MX?.[0]?.exchange ?? '';
    const limited = plan.addresses.map((a, i) => ({ a, i })).filter(({ a }) => a.kind === 'limited');
    for (const { a, i } of limited) expect(provider(hostOf(i))).toBe(`limited${a.server}.test`);
    const providers = new Set(plan.domains.map((_, i) => provider(hostOf(i))));
    expect(providers.size).toBeGreaterThan(plan.addresses.length * 0.9);
  });
});

describe('rttFor', () => {
  const config = { minMs: 20, maxMs: 300, seed: 16, fixed: { [NET.dns]: 40 } };

  it('keeps every address inside the spread, and uses the whole of it', () => {
    const rtts = makePlan(options).addresses.map((a) => rttFor(a.address, config));
    expect(Math.min(...rtts)).toBe(20);
    expect(Math.max(...rtts)).toBe(300);
    expect(rtts.reduce((a, b) => a + b, 0) / rtts.length).toBeGreaterThan(140);
    expect(rtts.reduce((a, b) => a + b, 0) / rtts.length).toBeLessThan(180);
  });

  it('gives a fixed address its own RTT, and passes both to the delay line', () => {
    expect(rttFor(NET.dns, config)).toBe(40);
    expect(delayLineArgs(config, 1000, { range: NET.postscreenRange, pool: NET.postscreenClients }))
      .toEqual(['20', '300', '1000', '16', `${NET.dns}=40`, `NAT:${NET.postscreenRange}:100.64.0.0`]);
  });
});
