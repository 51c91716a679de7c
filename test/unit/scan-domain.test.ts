import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLabPki, createSelfSigned } from '../../fixtures/certs.js';
import { summarizeCertificate } from '../../src/tls/certificate.js';
import { recommendPolicy } from '../../src/policy/recommend.js';
import { scanBatch } from '../../src/scan/batch.js';
import { scanDomain, type ScanDeps } from '../../src/scan/scan-domain.js';
import type { AddressProbe, CertificateSummary, DnsAnswer, MxRecord, Resolver, TlsaRecord } from '../../src/types.js';
import { probeFor } from '../helpers/result-builder.js';
import { leafSummary } from '../helpers/leaf-summary.js';
import { words } from '../helpers/words.js';

const answer = <T>(records: T[], status: DnsAnswer<T>['status'] = records.length ? 'ok' : 'nodata'): DnsAnswer<T> => ({
  status, records, cnames: [], authenticated: false,
});

/** An in-memory resolver: name → records; names not listed are NXDOMAIN. */
function fakeResolver(zone: Record<string, { mx?: MxRecord[]; a?: string[]; aaaa?: string[]; fail?: 'servfail' }>): Resolver {
  const get = <T>(name: string, pick: (e: (typeof zone)[string]) => T[] | undefined): DnsAnswer<T> => {
    const entry = zone[name];
    if (!entry) return answer<T>([], 'nxdomain');
    if (entry.fail) return answer<T>([], entry.fail);
    return answer(pick(entry) ?? []);
  };
  return {
    mx: async (n) => get(n, (e) => e.mx),
    a: async (n) => get(n, (e) => e.a),
    aaaa: async (n) => get(n, (e) => e.aaaa),
  };
}


/** A prober that answers from a table of address → probe, recording every call. */
function fakeProber(table: Record<string, (hostname: string) => AddressProbe>) {
  const calls: { address: string; hostname: string }[] = [];
  const probe: ScanDeps['probe'] = async (t) => {
    calls.push(t);
    const make = table[t.address];
    if (!make) throw new Error(`unexpected probe of ${t.address}`);
    return make(t.hostname);
  };
  return { probe, calls };
}

describe('scanDomain', () => {
  it('probes every address of every MX host and matches names against the MX host', async () => {
    const resolver = fakeResolver({
      'a.test': { mx: [{ preference: 10, exchange: 'mx1.a.test' }, { preference: 20, exchange: 'mx2.a.test' }] },
      'mx1.a.test': { a: ['192.0.2.1'], aaaa: ['2001:db8::1'] },
      'mx2.a.test': { a: ['192.0.2.2'] },
    });
    const cert = await leafSummary(['mx1.a.test', 'mx2.a.test']);
    const verified = (address: string) => (hostname: string) => {
      const p = probeFor(address, hostname, 'verified');
      return { ...p, tls: { ...p.tls!, chain: [cert] } };
    };
    const { probe, calls } = fakeProber({ '192.0.2.1': verified('192.0.2.1'), '2001:db8::1': verified('2001:db8::1'), '192.0.2.2': verified('192.0.2.2') });
    const r = await scanDomain({ domain: 'a.test' }, { resolver, probe });
    expect(r.status).toBe('scanned');
    expect(calls.map((c) => `${c.hostname} ${c.address}`).sort()).toEqual(['mx1.a.test 192.0.2.1', 'mx1.a.test 2001:db8::1', 'mx2.a.test 192.0.2.2']);
    expect(r.hosts.map((h) => [h.name, h.observation, h.addressLookup])).toEqual([['mx1.a.test', 'verified', 'ok'], ['mx2.a.test', 'verified', 'ok']]);
    expect(r.hosts[0]!.addresses[0]!.names).toMatchObject({ hostname: true, nexthop: false, dotNexthop: true });
  });

  it('a certificate for the other MX host is a name mismatch', async () => {
    const resolver = fakeResolver({ 'a.test': { mx: [{ preference: 10, exchange: 'mx1.a.test' }] }, 'mx1.a.test': { a: ['192.0.2.1'] } });
    const cert = await leafSummary(['mx9.a.test']);
    const { probe } = fakeProber({
      '192.0.2.1': (h) => {
        const p = probeFor('192.0.2.1', h, 'verified');
        return { ...p, tls: { ...p.tls!, chain: [cert] } };
      },
    });
    const r = await scanDomain({ domain: 'a.test' }, { resolver, probe });
    expect(r.hosts[0]!.observation).toBe('name-mismatch');
  });

  it('an unreachable address family is kept in the result but does not decide the host', async () => {
    const resolver = fakeResolver({ 'a.test': { mx: [{ preference: 10, exchange: 'mx.a.test' }] }, 'mx.a.test': { a: ['192.0.2.1'], aaaa: ['2001:db8::1'] } });
    const { probe } = fakeProber({ '192.0.2.1': (h) => probeFor('192.0.2.1', h, 'no-starttls'), '2001:db8::1': (h) => probeFor('2001:db8::1', h, 'unreachable') });
    const r = await scanDomain({ domain: 'a.test' }, { resolver, probe });
    expect(r.hosts[0]!.addresses).toHaveLength(2);
    expect(r.hosts[0]!.observation).toBe('no-starttls');
  });

  it('marks hosts without addresses and hosts whose lookup failed differently', async () => {
    const resolver = fakeResolver({
      'a.test': { mx: [{ preference: 10, exchange: 'gone.a.test' }, { preference: 20, exchange: 'flaky.a.test' }] },
      'gone.a.test': {},
      'flaky.a.test': { fail: 'servfail' },
    });
    const r = await scanDomain({ domain: 'a.test' }, { resolver, probe: fakeProber({}).probe });
    expect(r.hosts.map((h) => h.addressLookup)).toEqual(['no-address', 'failed']);
  });

  it('a resolver that throws is a bug of ours: an internal error, not a DNS error, and no line', async () => {
    const resolver: Resolver = { mx: async () => { throw new TypeError('boom'); }, a: async () => answer([]), aaaa: async () => answer([]) };
    const r = await scanDomain({ domain: 'a.test' }, { resolver, probe: fakeProber({}).probe });
    expect(r.status).toBe('internal-error');
    expect(r.internalError).toMatchObject({ message: 'boom', stack: expect.stringContaining('TypeError: boom') });
    const rec = recommendPolicy(r);
    expect(rec).toMatchObject({ kind: 'unknown' });
    expect(rec.level).toBeUndefined();
    expect(words(rec).reasons[0]).toMatch(/internal error in mxtls .*a bug, not a fault of the domain.*: boom; no line written/);
  });

  it('an MTA-STS/TLS-RPT lookup that throws is an internal error, not an unknown policy', async () => {
    const resolver = fakeResolver({ 'a.test': { mx: [{ preference: 10, exchange: 'mx1.a.test' }] }, 'mx1.a.test': { a: ['192.0.2.1'] } });
    const { probe } = fakeProber({ '192.0.2.1': (h) => probeFor('192.0.2.1', h, 'no-starttls') });
    const declarations = async (): Promise<never> => {
      throw new RangeError('declarations bug');
    };
    const r = await scanDomain({ domain: 'a.test' }, { resolver, probe, declarations });
    expect(r).toMatchObject({ status: 'internal-error', internalError: { message: 'declarations bug' } });
    expect(r.mtaSts).toBeUndefined();
    // What was learnt before the bug is kept for the report.
    expect(r.mx.status).toBe('ok');
  });

  it('a TLSA lookup that throws is an internal error, not a failed DANE lookup', async () => {
    const resolver: Resolver = {
      ...fakeResolver({ 'a.test': { mx: [{ preference: 10, exchange: 'mx1.a.test' }] }, 'mx1.a.test': { a: ['192.0.2.1'] } }),
      tlsa: async () => {
        throw new Error('tlsa bug');
      },
    };
    const { probe } = fakeProber({ '192.0.2.1': (h) => probeFor('192.0.2.1', h, 'verified') });
    const r = await scanDomain({ domain: 'a.test' }, { resolver, probe });
    // The zone is unsigned here, so no TLSA lookup is made and nothing throws...
    expect(r.status).toBe('scanned');
    // ...while a signed one asks, and the bug surfaces as ours.
    const signed: Resolver = {
      ...resolver,
      mx: async (n) => ({ ...(await resolver.mx(n)), authenticated: true }),
      a: async (n) => ({ ...(await resolver.a(n)), authenticated: true }),
      aaaa: async (n) => ({ ...(await resolver.aaaa(n)), authenticated: true }),
    };
    const bug = await scanDomain({ domain: 'a.test' }, { resolver: signed, probe });
    expect(bug).toMatchObject({ status: 'internal-error', internalError: { message: 'tlsa bug' } });
  });

  it('a probe that met a bug of ours makes the domain an internal error, naming the address', async () => {
    const resolver = fakeResolver({ 'a.test': { mx: [{ preference: 10, exchange: 'mx1.a.test' }] }, 'mx1.a.test': { a: ['192.0.2.1', '192.0.2.2'] } });
    const { probe } = fakeProber({
      '192.0.2.1': (h) => probeFor('192.0.2.1', h, 'verified'),
      '192.0.2.2': (h) => ({
        ...probeFor('192.0.2.2', h, 'no-starttls'),
        stage: 'starttls',
        failure: { stage: 'tls', kind: 'internal-error', message: 'capturing TLS details failed: x', stack: 'Error: x' },
      }),
    });
    const r = await scanDomain({ domain: 'a.test' }, { resolver, probe });
    expect(r.status).toBe('internal-error');
    expect(r.internalError).toEqual({ message: 'capturing TLS details failed: x', stack: 'Error: x', address: '192.0.2.2:25' });
    expect(r.hosts[0]!.addresses).toHaveLength(2);
    expect(recommendPolicy(r).kind).toBe('unknown');
  });

  it('null MX and NXDOMAIN are no-mail and probe nothing', async () => {
    const resolver = fakeResolver({ 'null.test': { mx: [{ preference: 0, exchange: '' }] } });
    const { probe, calls } = fakeProber({});
    expect((await scanDomain({ domain: 'null.test' }, { resolver, probe })).status).toBe('no-mail');
    expect((await scanDomain({ domain: 'absent.test' }, { resolver, probe })).status).toBe('no-mail');
    expect(calls).toHaveLength(0);
  });
});

describe('scanBatch', () => {
  const zone = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [
      [`d${i}.test`, { mx: [{ preference: 10, exchange: `mx.d${i}.test` }] }],
      [`mx.d${i}.test`, { a: [`192.0.2.${i + 1}`] }],
    ]).flat(),
  );

  function slowProber(delayMs: number) {
    let inFlight = 0;
    let peak = 0;
    const probe: ScanDeps['probe'] = async (t) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, delayMs));
      inFlight--;
      return probeFor(t.address, t.hostname, 'no-starttls');
    };
    return { probe, peak: () => peak };
  }

  it('scans each domain once, bounded by the concurrency limit', async () => {
    const { probe, peak } = slowProber(5);
    const entries = [...Array.from({ length: 40 }, (_, i) => ({ domain: `d${i}.test` })), { domain: 'd3.test' }, { domain: 'd7.test' }];
    const out: string[] = [];
    for await (const r of scanBatch(entries, { resolver: fakeResolver(zone), probe }, { concurrency: 4 })) out.push(r.domain);
    expect(out.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `d${i}.test`).sort());
    expect(peak()).toBeLessThanOrEqual(4);
    expect(peak()).toBeGreaterThan(1);
  });

  it('yields results while the input is still being read', async () => {
    const { probe } = slowProber(1);
    let released: () => void = () => {};
    const gate = new Promise<void>((r) => (released = r));
    async function* input() {
      yield { domain: 'd1.test' };
      await gate; // the rest of the list arrives only after the first result is out
      yield { domain: 'd2.test' };
    }
    const seen: string[] = [];
    for await (const r of scanBatch(input(), { resolver: fakeResolver(zone), probe }, { concurrency: 2 })) {
      seen.push(r.domain);
      released();
    }
    expect(seen).toEqual(['d1.test', 'd2.test']);
  });

  it('a domain whose scan throws still gets a result and the batch goes on', async () => {
    const probe: ScanDeps['probe'] = async (t) => {
      if (t.address === '192.0.2.2') throw new Error('prober bug');
      return probeFor(t.address, t.hostname, 'no-starttls');
    };
    const out = new Map<string, string>();
    for await (const r of scanBatch([{ domain: 'd0.test' }, { domain: 'd1.test' }, { domain: 'd2.test' }], { resolver: fakeResolver(zone), probe }, { concurrency: 2 })) {
      out.set(r.domain, r.status);
    }
    expect(Object.fromEntries(out)).toEqual({ 'd0.test': 'scanned', 'd1.test': 'internal-error', 'd2.test': 'scanned' });
  });

  it('stops scheduling when aborted', async () => {
    const { probe } = slowProber(5);
    const controller = new AbortController();
    const out: string[] = [];
    const entries = Array.from({ length: 40 }, (_, i) => ({ domain: `d${i}.test` }));
    for await (const r of scanBatch(entries, { resolver: fakeResolver(zone), probe }, { concurrency: 2, signal: controller.signal })) {
      out.push(r.domain);
      controller.abort();
    }
    expect(out.length).toBeGreaterThan(0);
    expect(out.length).toBeLessThan(10);
  });
});

describe('scanDomain with an explicit next hop', () => {
  it('skips the MX lookup, probes the host at the given port and keeps the key as given', async () => {
    const resolver = fakeResolver({ 'relay.a.test': { a: ['192.0.2.9'] } });
    const { probe, calls } = fakeProber({ '192.0.2.9': (h) => probeFor('192.0.2.9', h, 'no-starttls') });
    let mxAsked = false;
    const r = await scanDomain(
      { domain: '[relay.a.test]:2525', nexthop: { host: 'relay.a.test', port: 2525 } },
      { resolver: { ...resolver, mx: async (n) => ((mxAsked = true), resolver.mx(n)) }, probe },
    );
    expect(mxAsked).toBe(false);
    expect(calls).toEqual([{ address: '192.0.2.9', hostname: 'relay.a.test', port: 2525 }]);
    expect(r.domain).toBe('[relay.a.test]:2525');
    expect(r.mx).toMatchObject({ status: 'ok', explicit: true });
    expect(r.hosts[0]!.observation).toBe('no-starttls');
  });

  it('an IPv4 literal needs no DNS at all', async () => {
    const { probe, calls } = fakeProber({ '192.0.2.7': (h) => probeFor('192.0.2.7', h, 'no-starttls') });
    const r = await scanDomain({ domain: '[192.0.2.7]', nexthop: { host: '192.0.2.7' } }, { resolver: fakeResolver({}), probe });
    expect(calls).toEqual([{ address: '192.0.2.7', hostname: '192.0.2.7' }]);
    expect(r.status).toBe('scanned');
  });

  it('a next hop host that does not exist accepts no mail', async () => {
    const r = await scanDomain({ domain: '[gone.a.test]', nexthop: { host: 'gone.a.test' } }, { resolver: fakeResolver({}), probe: fakeProber({}).probe });
    expect(r.mx.status).toBe('nxdomain');
  });
});

describe('scanBatch with a slow consumer', () => {
  it('does not run ahead of the consumer by more than its window', async () => {
    const zone = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`s${i}.test`, { mx: [{ preference: 10, exchange: 'mx.shared.test' }] }]));
    const resolver = fakeResolver({ ...zone, 'mx.shared.test': { a: ['192.0.2.1'] } });
    let scanned = 0;
    const probe: ScanDeps['probe'] = async (t) => probeFor(t.address, t.hostname, 'no-starttls');
    const counting: Resolver = { ...resolver, mx: async (n) => (scanned++, resolver.mx(n)) };
    const entries = Array.from({ length: 200 }, (_, i) => ({ domain: `s${i}.test` }));
    let taken = 0;
    let maxAhead = 0;
    for await (const _r of scanBatch(entries, { resolver: counting, probe }, { concurrency: 5 })) {
      taken++;
      await new Promise((r) => setTimeout(r, 1));
      maxAhead = Math.max(maxAhead, scanned - taken);
    }
    expect(taken).toBe(200);
    expect(maxAhead).toBeLessThanOrEqual(10); // the window: twice the concurrency
  });
});

describe('scanDomain with DNSSEC and TLSA', () => {
  /** A signed (or unsigned) zone with one MX host whose leaf is `der`, and TLSA records for it. */
  async function setup(signed: boolean, tlsa: (spki: Buffer) => TlsaRecord[]) {
    const cert = await createSelfSigned({ dnsNames: ['mx.a.test'], freshKey: true });
    const spki = new X509Certificate(cert.der).publicKey.export({ type: 'spki', format: 'der' });
    const asked: string[] = [];
    const ok = <T>(records: T[]): DnsAnswer<T> => ({ status: records.length ? 'ok' : 'nodata', records, cnames: [], authenticated: signed });
    const resolver: Resolver = {
      mx: async () => ok([{ preference: 10, exchange: 'mx.a.test' }]),
      a: async () => ok(['192.0.2.1']),
      aaaa: async () => ok<string>([]),
      tlsa: async (name) => {
        asked.push(name);
        return ok(tlsa(spki));
      },
    };
    const { probe } = fakeProber({
      '192.0.2.1': (hostname) => {
        const p = probeFor('192.0.2.1', hostname, 'untrusted');
        return { ...p, tls: { ...p.tls!, chain: [summarizeCertificate(cert.der)] } };
      },
    });
    return { result: await scanDomain({ domain: 'a.test' }, { resolver, probe }), asked };
  }
  const ee = (spki: Buffer): TlsaRecord[] => [{ usage: 3, selector: 1, matchingType: 1, data: createHash('sha256').update(spki).digest('hex') }];

  it('looks TLSA up for a validated host and matches the chain the server sent', async () => {
    const { result, asked } = await setup(true, ee);
    expect(asked).toEqual(['_25._tcp.mx.a.test']);
    expect(result.dnssec).toBe('secure');
    expect(result.hosts[0]!.dane).toMatchObject({ status: 'tlsa', usable: 1 });
    expect(result.hosts[0]!.addresses[0]!.dane).toEqual({ matched: true, by: { usage: 3, selector: 1, matchingType: 1, depth: 0 } });
  });

  it('reports a validated TLSA that matches another key as not matched', async () => {
    const { result } = await setup(true, (spki) => ee(Buffer.concat([spki, Buffer.from([0])])));
    expect(result.hosts[0]!.addresses[0]!.dane).toEqual({ matched: false, failure: 'no-match' });
  });

  it('asks which certificates the server sent when a DANE-TA record may name an issuer Node took from our store', async () => {
    const pki = await createLabPki();
    const leaf = await pki.leaf({ dnsNames: ['mx.a.test'] });
    const summaries = (ders: Buffer[]) => ders.map((d) => summarizeCertificate(d));
    const rootDigest = createHash('sha256').update(pki.root.der).digest('hex');
    const ok = <T>(records: T[]): DnsAnswer<T> => ({ status: records.length ? 'ok' : 'nodata', records, cnames: [], authenticated: true });
    const resolver: Resolver = {
      mx: async () => ok([{ preference: 10, exchange: 'mx.a.test' }]),
      a: async () => ok(['192.0.2.1']),
      aaaa: async () => ok<string>([]),
      tlsa: async () => ok([{ usage: 2, selector: 0, matchingType: 1, data: rootDigest }]),
    };
    /** The server sends `sent`; an ordinary probe shows the root only as one of our store's. */
    const scan = async (sent: Buffer[]) => {
      const calls: boolean[] = [];
      const probe: ScanDeps['probe'] = async (t) => {
        calls.push(t.sentChain === true);
        const p = probeFor(t.address, t.hostname, 'verified');
        const tls = t.sentChain ? { ...p.tls!, chain: summaries(sent) } : { ...p.tls!, chain: summaries([leaf.der, pki.intermediate.der]), storeIssuers: 1 };
        return { ...p, tls };
      };
      const result = await scanDomain({ domain: 'a.test' }, { resolver, probe });
      return { dane: result.hosts[0]!.addresses[0]!.dane, calls };
    };
    // OpenSSL's DANE-TA takes only what the server sends: a root it sends matches at depth 2...
    expect(await scan([leaf.der, pki.intermediate.der, pki.root.der])).toEqual({
      dane: { matched: true, by: { usage: 2, selector: 0, matchingType: 1, depth: 2 } },
      calls: [false, true],
    });
    // ...and a root only we have matches nothing.
    expect(await scan([leaf.der, pki.intermediate.der])).toEqual({ dane: { matched: false, failure: 'no-match' }, calls: [false, true] });
  });

  it('makes no TLSA lookup in an unsigned zone', async () => {
    const { result, asked } = await setup(false, ee);
    expect(asked).toEqual([]);
    expect(result.dnssec).toBe('insecure');
    expect(result.hosts[0]!.dane).toMatchObject({ status: 'not-applicable' });
    expect(result.hosts[0]!.addresses[0]!.dane).toBeUndefined();
  });
});
