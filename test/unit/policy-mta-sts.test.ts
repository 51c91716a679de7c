import { describe, expect, it } from 'vitest';
import { recommendPolicy } from '../../src/policy/recommend.js';
import type { DomainResult, MtaStsReport } from '../../src/types.js';
import { leafSummary } from '../helpers/leaf-summary.js';
import { domainResult, type HostSpec } from '../helpers/result-builder.js';
import { words } from '../helpers/words.js';

/** A result whose verified addresses serve a certificate for `certNames`, with an MTA-STS report. */
async function withSts(hosts: HostSpec[], mtaSts: MtaStsReport, certNames?: string[]): Promise<DomainResult> {
  const r = domainResult('a.test', hosts);
  for (const h of r.hosts) for (const a of h.addresses) if (a.probe.tls) a.probe.tls.chain = [await leafSummary(certNames ?? [h.name])];
  return { ...r, mtaSts };
}

const enforce = (...mx: string[]): MtaStsReport => ({ status: 'ok', id: 'x1', policy: { mode: 'enforce', mx, maxAge: 86400 } });

describe('MTA-STS in the recommendation', () => {
  it('enforce, every MX in the policy and verified: secure with the patterns', async () => {
    const rec = recommendPolicy(await withSts([{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'mx2.a.test', addresses: ['verified'] }], enforce('mx1.a.test', '*.a.test')));
    expect([rec.level, rec.attributes.match]).toEqual(['secure', 'mx1.a.test:.a.test']);
    expect(words(rec).warnings.join()).toMatch(/also accepts deeper names/);
  });

  it('a secure line carries the policy for Postfix 3.10: domain, RFC-form patterns, the policy lines', async () => {
    const lines = ['version: STSv1', 'mode: enforce', 'mx: mx1.a.test', 'mx: *.a.test', 'max_age: 86400'];
    const report: MtaStsReport = { status: 'ok', id: 'x1', policy: { mode: 'enforce', mx: ['mx1.a.test', '*.a.test'], maxAge: 86400, lines } };
    const rec = recommendPolicy(await withSts([{ name: 'mx1.a.test', addresses: ['verified'] }], report));
    expect(rec.mtaSts).toEqual({ domain: 'a.test', mxPatterns: ['mx1.a.test', '*.a.test'], lines });
  });

  it('no secure line, no MTA-STS policy for the writer', async () => {
    const rec = recommendPolicy(await withSts([{ name: 'mx1.a.test', addresses: ['untrusted'] }], enforce('*.a.test')));
    expect(rec.mtaSts).toBeUndefined();
  });

  it('an MX outside the policy keeps the observed line and alerts', async () => {
    const rec = recommendPolicy(await withSts([{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'backup.b.test', addresses: ['verified'] }], enforce('*.a.test')));
    expect(rec.level).toBe('verify');
    expect(words(rec).warnings.join()).toMatch(/ALERT: .*backup\.b\.test not in the policy/);
  });

  it('enforce but an MX does not verify: no secure line, an alert', async () => {
    const rec = recommendPolicy(await withSts([{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'mx2.a.test', addresses: ['untrusted'] }], enforce('*.a.test')));
    expect(rec.level).toBe('encrypt');
    expect(words(rec).warnings.join()).toMatch(/ALERT: MTA-STS enforce \(id x1\), but not every MX verifies \(encrypt\)/);
  });

  it('a certificate that would fail Postfix\'s match keeps verify', async () => {
    // A wildcard certificate passes an exact pattern, as Postfix's hostname matching allows...
    const ok = recommendPolicy(await withSts([{ name: 'mx.a.test', addresses: ['verified'] }], enforce('mx.a.test'), ['*.a.test']));
    expect(ok.level).toBe('secure');
    // ...while a certificate naming only another host cannot pass match=mx.a.test.
    const bad = recommendPolicy(await withSts([{ name: 'mx.a.test', addresses: ['verified'] }], enforce('mx.a.test'), ['other.a.test']));
    expect(bad.level).toBe('verify');
    expect(words(bad).warnings.join()).toMatch(/would not pass Postfix's match=mx\.a\.test/);
  });

  it('testing mode, invalid and unknown policies are reported, never enforced', async () => {
    const hosts: HostSpec[] = [{ name: 'mx.a.test', addresses: ['verified'] }];
    const testing = recommendPolicy(await withSts(hosts, { status: 'ok', id: 't', policy: { mode: 'testing', mx: ['mx.a.test'], maxAge: 1 } }));
    expect([testing.level, words(testing).warnings.join()]).toEqual(['verify', expect.stringMatching(/testing mode/)]);
    const invalid = recommendPolicy(await withSts(hosts, { status: 'invalid', stage: 'fetch', reason: 'tls: certificate expired' }));
    expect([invalid.level, words(invalid).warnings.join()]).toEqual(['verify', expect.stringMatching(/unusable at fetch: tls: certificate expired/)]);
    const none = recommendPolicy(await withSts(hosts, { status: 'none' }));
    expect([none.level, words(none).warnings]).toEqual(['verify', []]);
  });

  it('an unobserved MX caps at may even under enforce, with an alert', async () => {
    const rec = recommendPolicy(await withSts([{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'mx2.a.test', addresses: ['refused'] }], enforce('*.a.test')));
    expect(rec.level).toBe('may');
    expect(words(rec).warnings.join()).toMatch(/ALERT/);
  });
});
