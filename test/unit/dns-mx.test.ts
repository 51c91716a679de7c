import { describe, expect, it } from 'vitest';
import { resolveMx } from '../../src/dns/mx.js';
import type { DnsAnswer, DnsStatus, MxRecord, MxResolution, Resolver } from '../../src/types.js';

type Kind = 'mx' | 'a' | 'aaaa';
/** What the fake resolver knows: name → answers by type. Unknown names are NXDOMAIN, unknown types NODATA. */
type Data = Record<string, Partial<{ mx: DnsAnswer<MxRecord>; a: DnsAnswer<string>; aaaa: DnsAnswer<string> }>>;

function answer<T>(status: DnsStatus, records: T[] = [], extra: Partial<DnsAnswer<T>> = {}): DnsAnswer<T> {
  return { status, records, cnames: [], authenticated: false, ...extra };
}
const ok = <T>(...records: T[]) => answer('ok', records);
const NODATA = answer<never>('nodata');
const NXDOMAIN = answer<never>('nxdomain');
const mx = (...pairs: [number, string][]) => ok(...pairs.map(([preference, exchange]) => ({ preference, exchange })));

function fakeResolver(data: Data) {
  const asked: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const lookup =
    (kind: Kind) =>
    async (name: string): Promise<DnsAnswer<never>> => {
      asked.push(`${kind} ${name}`);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      const entry = data[name];
      return (entry === undefined ? NXDOMAIN : (entry[kind] ?? NODATA)) as DnsAnswer<never>;
    };
  const resolver: Resolver = { mx: lookup('mx'), a: lookup('a'), aaaa: lookup('aaaa') };
  return { resolver, asked, maxInFlight: () => maxInFlight };
}

/** The resolution reduced to what each case asserts: status, hosts and their address statuses. */
function summary(result: MxResolution) {
  const base: Record<string, unknown> = { status: result.status };
  if (result.status === 'ok') {
    base.implicit = result.implicit;
    base.hosts = result.hosts.map((h) => [h.preference, h.name, h.a.status, h.a.records, h.aaaa.status, h.aaaa.records]);
  }
  if (result.status === 'dns-error') Object.assign(base, { reason: result.reason, detail: result.detail });
  return base;
}

const cases: { name: string; domain?: string; data: Data; expected: Record<string, unknown> }[] = [
  {
    name: 'plain MX: sorted by preference then name, duplicates kept at their best preference',
    data: {
      'example.test': { mx: mx([20, 'b.example.test'], [10, 'c.example.test'], [30, 'a.example.test'], [10, 'a.example.test']) },
      'a.example.test': { a: ok('192.0.2.1') },
      'b.example.test': { a: ok('192.0.2.2'), aaaa: ok('2001:db8::2') },
      'c.example.test': { aaaa: ok('2001:db8::3') },
    },
    expected: {
      status: 'ok',
      implicit: false,
      hosts: [
        [10, 'a.example.test', 'ok', ['192.0.2.1'], 'nodata', []],
        [10, 'c.example.test', 'nodata', [], 'ok', ['2001:db8::3']],
        [20, 'b.example.test', 'ok', ['192.0.2.2'], 'ok', ['2001:db8::2']],
      ],
    },
  },
  {
    name: 'input name is normalised before asking',
    domain: 'Example.TEST.',
    data: { 'example.test': { mx: mx([10, 'MX.Example.TEST.']) }, 'mx.example.test': { a: ok('192.0.2.1') } },
    expected: { status: 'ok', implicit: false, hosts: [[10, 'mx.example.test', 'ok', ['192.0.2.1'], 'nodata', []]] },
  },
  {
    name: 'implicit MX from an A record only',
    data: { 'example.test': { a: ok('192.0.2.1') } },
    expected: { status: 'ok', implicit: true, hosts: [[0, 'example.test', 'ok', ['192.0.2.1'], 'nodata', []]] },
  },
  {
    name: 'implicit MX from an AAAA record only',
    data: { 'example.test': { aaaa: ok('2001:db8::1') } },
    expected: { status: 'ok', implicit: true, hosts: [[0, 'example.test', 'nodata', [], 'ok', ['2001:db8::1']]] },
  },
  {
    name: 'implicit MX with A but an AAAA lookup that timed out: still deliverable',
    data: { 'example.test': { a: ok('192.0.2.1'), aaaa: answer('timeout', [], { detail: 'slow' }) } },
    expected: { status: 'ok', implicit: true, hosts: [[0, 'example.test', 'ok', ['192.0.2.1'], 'timeout', []]] },
  },
  {
    name: 'no MX and no address: no mail host',
    data: { 'example.test': {} },
    expected: { status: 'no-mail-host' },
  },
  {
    name: 'no MX and the A lookup failed: DNS error with its reason',
    data: { 'example.test': { a: answer('servfail', [], { detail: 'upstream broken' }) } },
    expected: { status: 'dns-error', reason: 'servfail', detail: 'upstream broken' },
  },
  {
    name: 'no MX and the AAAA lookup timed out: DNS error',
    data: { 'example.test': { aaaa: answer('timeout', [], { detail: 'no reply' }) } },
    expected: { status: 'dns-error', reason: 'timeout', detail: 'no reply' },
  },
  {
    name: 'null MX',
    data: { 'example.test': { mx: mx([0, '']) } },
    expected: { status: 'null-mx' },
  },
  {
    name: 'null MX mixed with a real MX is still null MX',
    data: { 'example.test': { mx: mx([10, 'mx.example.test'], [0, '']) }, 'mx.example.test': { a: ok('192.0.2.1') } },
    expected: { status: 'null-mx' },
  },
  {
    name: 'NXDOMAIN',
    data: {},
    expected: { status: 'nxdomain' },
  },
  {
    name: 'SERVFAIL on the MX lookup',
    data: { 'example.test': { mx: answer('servfail', [], { detail: 'SERVFAIL from 10.0.0.1:53' }) } },
    expected: { status: 'dns-error', reason: 'servfail', detail: 'SERVFAIL from 10.0.0.1:53' },
  },
  {
    name: 'REFUSED on the MX lookup',
    data: { 'example.test': { mx: answer('refused') } },
    expected: { status: 'dns-error', reason: 'refused', detail: undefined },
  },
  {
    name: 'timeout on the MX lookup',
    data: { 'example.test': { mx: answer('timeout', [], { detail: 'no reply over UDP' }) } },
    expected: { status: 'dns-error', reason: 'timeout', detail: 'no reply over UDP' },
  },
  {
    name: 'MX target without any address is kept for the scanner to report',
    data: {
      'example.test': { mx: mx([10, 'mx1.example.test'], [20, 'gone.example.test']) },
      'mx1.example.test': {},
    },
    expected: {
      status: 'ok',
      implicit: false,
      hosts: [
        [10, 'mx1.example.test', 'nodata', [], 'nodata', []],
        [20, 'gone.example.test', 'nxdomain', [], 'nxdomain', []],
      ],
    },
  },
];

describe('resolveMx', () => {
  it.each(cases)('$name', async ({ domain, data, expected }) => {
    const { resolver } = fakeResolver(data);
    expect(summary(await resolveMx(domain ?? 'example.test', resolver))).toEqual(expected);
  });

  it('keeps the MX answer itself in every outcome', async () => {
    const mxAnswer = mx([10, 'mx.example.test']);
    const result = await resolveMx('example.test', fakeResolver({ 'example.test': { mx: mxAnswer } }).resolver);
    expect(result.mx).toBe(mxAnswer);
  });

  it('keeps the CNAME chain of an MX target that is an alias', async () => {
    const alias = answer('ok', ['192.0.2.9'], { cnames: ['real.example.net'] });
    const { resolver } = fakeResolver({ 'example.test': { mx: mx([10, 'mx.example.test']) }, 'mx.example.test': { a: alias } });
    const result = await resolveMx('example.test', resolver);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.hosts).toEqual([{ name: 'mx.example.test', preference: 10, a: alias, aaaa: NODATA }]);
  });

  it('asks for the addresses of all hosts at once', async () => {
    const fake = fakeResolver({ 'example.test': { mx: mx([10, 'a.example.test'], [20, 'b.example.test']) } });
    await resolveMx('example.test', fake.resolver);
    expect(fake.asked.slice(1).sort()).toEqual(['a a.example.test', 'a b.example.test', 'aaaa a.example.test', 'aaaa b.example.test']);
    expect(fake.maxInFlight()).toBe(4);
  });

  it('does not look up addresses for a null MX', async () => {
    const fake = fakeResolver({ 'example.test': { mx: mx([0, '']) } });
    await resolveMx('example.test', fake.resolver);
    expect(fake.asked).toEqual(['mx example.test']);
  });
});
