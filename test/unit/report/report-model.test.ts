import { describe, expect, it } from 'vitest';
import { ReportBuilder, type ModelOptions } from '../../../src/report/report-model.js';
import type { Change } from '../../../src/diff/index.js';
import { inDays, mxHost, NOW, noMail, scan, type Scan } from '../../helpers/diff-fixtures.js';

const options = (over: Partial<ModelOptions> = {}): ModelOptions => ({
  now: NOW,
  expiryWarnDays: 14,
  lineFor: (_result, rec) => ({ text: `${rec.domain} ${rec.level ?? ''}`, written: rec.kind === 'line' }),
  ...over,
});

function build(scans: Scan[], over: Partial<ModelOptions> = {}) {
  const builder = new ReportBuilder(options(over));
  for (const { result, rec } of scans) builder.domain(result, rec);
  return builder.build();
}

describe('ReportBuilder', () => {
  it('counts domains by level, and names those without a line', () => {
    const model = build([
      scan('a.example', [mxHost('mx.a.example', ['verified'])], { level: 'verify' }),
      scan('b.example', [mxHost('mx.b.example', ['verified'])], { level: 'verify' }),
      scan('c.example', [mxHost('mx.c.example', ['no-starttls'])], { level: 'may' }),
      noMail('d.example'),
    ]);
    expect(Object.fromEntries(model.levels.map((l) => [l.key, l.count]))).toEqual({ verify: 2, may: 1, 'no mail': 1 });
    expect(model.rows.map((r) => [r.domain, r.levelKey, r.line.written])).toEqual([
      ['a.example', 'verify', true], ['b.example', 'verify', true], ['c.example', 'may', true], ['d.example', 'no mail', false],
    ]);
    // Ranks follow the diff's order of strength; no line sorts below every level.
    const rank = Object.fromEntries(model.rows.map((r) => [r.domain, r.rank]));
    expect(rank['a.example']!).toBeGreaterThan(rank['c.example']!);
    expect(rank['c.example']!).toBeGreaterThan(rank['d.example']!);
  });

  it('groups domains on exactly the same MX hosts, and only when there are several', () => {
    const shared = () => [mxHost('mx1.provider.example', ['verified']), mxHost('mx2.provider.example', ['verified'], {}, 20)];
    const model = build([
      scan('z.example', shared(), { level: 'verify' }),
      scan('y.example', shared().reverse(), { level: 'verify' }),
      scan('x.example', [mxHost('mx1.provider.example', ['verified'])], { level: 'verify' }),
      scan('own.example', [mxHost('mx.own.example', ['verified'])], { level: 'verify' }),
    ]);
    expect(model.providers).toHaveLength(1);
    expect(model.providers[0]).toMatchObject({ hosts: ['mx1.provider.example', 'mx2.provider.example'], domains: ['y.example', 'z.example'] });
    expect([...model.providers[0]!.levels]).toEqual([['verify', 2]]);
  });

  it('counts declarations among the domains that accept mail', () => {
    const a = scan('a.example', [mxHost('mx.a.example', ['verified'])], { level: 'verify' });
    a.result.dnssec = 'secure';
    a.result.hosts[0]!.dane = { status: 'tlsa', records: [{ usage: 3, selector: 1, matchingType: 1, data: 'ab' }], usable: 1 };
    a.result.mtaSts = { status: 'ok', policy: { mode: 'enforce', mx: ['mx.a.example'], maxAge: 86400 } };
    a.result.tlsRpt = { status: 'ok', rua: ['mailto:r@a.example'] };
    const b = scan('b.example', [mxHost('mx.b.example', ['verified'])], { level: 'verify' });
    b.result.hosts[0]!.dane = { status: 'tlsa', records: [{ usage: 0, selector: 0, matchingType: 1, data: 'ab' }], usable: 0 };
    b.result.mtaSts = { status: 'ok', policy: { mode: 'testing', mx: ['mx.b.example'], maxAge: 86400 } };
    const c = scan('c.example', [mxHost('mx.c.example', ['verified'])], { level: 'verify' });
    c.result.mtaSts = { status: 'invalid', stage: 'policy', reason: 'no mode' };
    expect(build([a, b, c, noMail('d.example')]).adoption).toEqual({ mailDomains: 3, dnssec: 1, dane: 1, stsEnforce: 1, stsTesting: 1, stsInvalid: 1, tlsRpt: 1 });
  });

  it('lists certificates that expired or expire within the warning days, by the diff\'s rule', () => {
    const model = build([
      scan('soon.example', [mxHost('mx.soon.example', ['verified'], { notAfter: inDays(5.5) })], { level: 'verify' }),
      scan('later.example', [mxHost('mx.later.example', ['verified'], { notAfter: inDays(30) })], { level: 'verify' }),
      scan('gone.example', [mxHost('mx.gone.example', ['expired'], { notAfter: inDays(-2) })], { level: 'encrypt' }),
      // A self-signed certificate fails verify whatever its dates: not listed.
      scan('self.example', [mxHost('mx.self.example', ['self-signed'], { notAfter: inDays(1) })], { level: 'encrypt' }),
    ]);
    expect(model.expiring.map((c) => [c.domain, c.host, c.daysLeft])).toEqual([['gone.example', 'mx.gone.example', undefined], ['soon.example', 'mx.soon.example', 5]]);
    expect(build([scan('later.example', [mxHost('mx.later.example', ['verified'], { notAfter: inDays(30) })], { level: 'verify' })], { expiryWarnDays: 31 }).expiring).toHaveLength(1);
  });

  it('keeps network text sanitised: control and bidi characters become visible escapes', () => {
    const s = scan('a.example', [mxHost('mx.a.example', ['verified'])], { level: 'verify', summary: { code: 'verified', verified: 1, addresses: 1, host: 'fine\u202Eevil' } });
    s.result.hosts[0]!.addresses[0]!.probe.greeting = { code: 220, lines: ['mx\r\nINJECTED'] };
    const row = build([s]).rows[0]!;
    expect(row.reasons).toEqual(['1/1 MX addresses verified (fine\\u202eevil no TLS)']);
    expect(row.hosts[0]!.addresses[0]!.banner).toBe('mx\\x0d\\x0aINJECTED');
  });

  it('has a diff only when given one, counting the domains compared', () => {
    expect(build([]).diff).toBeUndefined();
    const builder = new ReportBuilder(options());
    const change: Change = { domain: 'a.example', type: 'level-down', details: { from: 'verify', to: 'may' }, severity: 'regression' };
    builder.diffChanges([change], true);
    builder.diffChanges([], true);
    builder.diffChanges([{ domain: 'b.example', type: 'domain-gone', details: { kind: 'line', level: 'may', scannedAt: NOW.toISOString() }, severity: 'info' }], false);
    expect(builder.build().diff).toMatchObject({ compared: 2, changes: [{ domain: 'a.example' }, { domain: 'b.example' }] });
  });
});
