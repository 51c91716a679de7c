import { describe, expect, it } from 'vitest';
import { compareDomain, goneDomains } from '../../../src/diff/compare.js';
import { RunMetrics, type RunEnd } from '../../../src/metrics/run-metrics.js';
import * as api from '../../../src/index.js';
import { dnsError, inDays, mxHost, noMail, NOW, scan, snap, type Scan } from '../../helpers/diff-fixtures.js';
import { samples } from '../../helpers/prometheus-samples.js';

const verify = { level: 'verify' as const };
const may = { level: 'may' as const };

function render(scans: Scan[], options = { expiryWarnDays: 14, diff: false }, end: RunEnd = { durationMs: 1500 }): Map<string, number> {
  const m = new RunMetrics(NOW, options);
  for (const s of scans) m.domain(s.result, s.rec);
  return samples(m.render(end));
}

describe('RunMetrics', () => {
  it('counts domains by kind, level and status, every value of each vocabulary present', () => {
    const got = render([
      scan('a.example', [mxHost('mx.a.example', ['verified'])], verify),
      scan('b.example', [mxHost('mx.b.example', ['verified'])], verify),
      scan('c.example', [mxHost('mx.c.example', ['no-starttls'])], may),
      noMail('d.example'),
      dnsError('e.example'),
    ]);
    expect(got.get('mxtls_domains_by_kind{kind="line"}')).toBe(3);
    expect(got.get('mxtls_domains_by_kind{kind="no-mail"}')).toBe(1);
    expect(got.get('mxtls_domains_by_kind{kind="unknown"}')).toBe(1);
    expect(got.get('mxtls_domains_by_level{level="verify"}')).toBe(2);
    expect(got.get('mxtls_domains_by_level{level="may"}')).toBe(1);
    expect(got.get('mxtls_domains_by_level{level="dane-only"}')).toBe(0);
    expect(got.get('mxtls_domains_by_level{level="secure"}')).toBe(0);
    expect(got.get('mxtls_domains_by_status{status="scanned"}')).toBe(3);
    expect(got.get('mxtls_domains_by_status{status="no-mail"}')).toBe(1);
    expect(got.get('mxtls_domains_by_status{status="dns-error"}')).toBe(1);
    expect(got.get('mxtls_domains_by_status{status="internal-error"}')).toBe(0);
  });

  it('counts a carried-over line', () => {
    const carried = scan('a.example', [mxHost('mx.a.example', ['timeout'])], { ...verify, carriedOverFrom: inDays(-1) });
    expect(render([carried]).get('mxtls_domains_carried_over')).toBe(1);
  });

  it('counts each MX address once however many domains share it, and its failure once', () => {
    // Two domains on one provider: both results carry the same two probes (scan/probe-pool.ts).
    const provider = () => mxHost('mx.provider.example', ['verified', 'timeout']);
    const got = render([scan('a.example', [provider()], verify), scan('b.example', [provider()], verify), scan('c.example', [mxHost('mx.c.example', ['refused', 'refused', 'tls-failed'])], may)]);
    // 192.0.2.1 and .2 (the provider, and c's first two), 192.0.2.3 (c's third).
    expect(got.get('mxtls_mx_addresses_probed')).toBe(3);
    expect(got.get('mxtls_probe_failures{stage="greeting",kind="greeting-timeout"}')).toBe(1);
    // c.example's 192.0.2.1 was probed for the provider first (verified): no failure of its own.
    expect(got.get('mxtls_probe_failures{stage="connect",kind="connect-refused"}')).toBeUndefined();
    expect(got.get('mxtls_probe_failures{stage="tls",kind="tls-handshake-failed"}')).toBe(1);
  });

  it('counts certificates by the diff\'s expiry rule: trusted ones within the window, expired ones, never self-signed', () => {
    const soon = { notAfter: inDays(10) };
    const got = render(
      [
        scan('a.example', [mxHost('mx.a.example', ['verified'], soon)], verify),
        // The same host and address for another domain: still one certificate.
        scan('b.example', [mxHost('mx.a.example', ['verified'], soon)], verify),
        scan('c.example', [mxHost('mx.c.example', ['verified'], { notAfter: inDays(20) })], verify),
        scan('d.example', [mxHost('mx.d.example', ['expired'], { notAfter: inDays(-3) })], may),
        scan('e.example', [mxHost('mx.e.example', ['self-signed'], { notAfter: inDays(-3) })], may),
      ],
      { expiryWarnDays: 14, diff: false },
    );
    expect(got.get('mxtls_certificate_expiry_warn_seconds')).toBe(14 * 86_400);
    expect(got.get('mxtls_certificates_expiring')).toBe(1);
    expect(got.get('mxtls_certificates_expired')).toBe(1);
    expect(got.get('mxtls_certificate_not_after_seconds{host="mx.a.example",address="192.0.2.1"}')).toBe(Date.parse(inDays(10)) / 1000);
    expect(got.get('mxtls_certificate_not_after_seconds{host="mx.d.example",address="192.0.2.1"}')).toBe(Date.parse(inDays(-3)) / 1000);
    expect([...got.keys()].filter((k) => k.startsWith('mxtls_certificate_not_after_seconds'))).toHaveLength(2);
    // A wider window takes in the 20-day certificate.
    expect(render([scan('c.example', [mxHost('mx.c.example', ['verified'], { notAfter: inDays(20) })], verify)], { expiryWarnDays: 30, diff: false }).get('mxtls_certificates_expiring')).toBe(1);
  });

  it('escapes a hostile MX host name in its label', () => {
    const m = new RunMetrics(NOW, { expiryWarnDays: 14, diff: false });
    const s = scan('a.example', [mxHost('mx"a\\\n.example', ['verified'], { notAfter: inDays(1) })], verify);
    m.domain(s.result, s.rec);
    expect(m.render({ durationMs: 0 })).toContain('mxtls_certificate_not_after_seconds{host="mx\\"a\\\\\\n.example",address="192.0.2.1"}');
  });

  it('writes the diff families only for a run with --diff, and counts regressions and gone domains', () => {
    const options = { now: NOW, expiryWarnDays: 14 };
    const before = scan('a.example', [mxHost('mx.a.example', ['verified'])], verify, inDays(-1));
    const after = scan('a.example', [mxHost('mx.a.example', ['no-starttls'])], may);
    const changes = compareDomain(snap(before), snap(after), options);
    const m = new RunMetrics(NOW, { expiryWarnDays: 14, diff: true });
    m.domain(after.result, after.rec, changes);
    m.changes(goneDomains(new Map([['gone.example', snap(scan('gone.example', [], may, inDays(-1)))]]), new Set()));
    const got = samples(m.render({ durationMs: 0 }));
    expect(got.get('mxtls_diff_regressions')).toBe(2);
    expect(got.get('mxtls_diff_changes{type="level-down",severity="regression"}')).toBe(1);
    expect(got.get('mxtls_diff_changes{type="starttls-lost",severity="regression"}')).toBe(1);
    expect(got.get('mxtls_diff_changes{type="domain-gone",severity="info"}')).toBe(1);
    expect(render([after]).has('mxtls_diff_regressions')).toBe(false);
  });

  it('writes the run\'s start, duration, interruption and the oldest result\'s time', () => {
    const old = scan('a.example', [mxHost('mx.a.example', ['verified'])], verify, inDays(-2));
    const got = render([old, scan('b.example', [mxHost('mx.b.example', ['verified'])], verify)], { expiryWarnDays: 14, diff: false }, { durationMs: 1500, interrupted: true });
    expect(got.get('mxtls_run_start_time_seconds')).toBe(NOW.getTime() / 1000);
    expect(got.get('mxtls_run_duration_seconds')).toBe(1.5);
    expect(got.get('mxtls_run_interrupted')).toBe(1);
    expect(got.get('mxtls_oldest_result_time_seconds')).toBe(Date.parse(inDays(-2)) / 1000);
    expect(render([]).has('mxtls_oldest_result_time_seconds')).toBe(false);
    expect(render([]).get('mxtls_run_interrupted')).toBe(0);
  });

  it('is part of the public API, for library users who run their own scans', () => {
    expect(api.RunMetrics).toBe(RunMetrics);
  });
});
