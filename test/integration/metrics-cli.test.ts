// `--metrics` over the lab: the file the real, compiled CLI writes must say what the NDJSON of
// the same run says, and pass Prometheus's own parser and linter (`promtool check metrics`,
// fixtures/promtool.ts). `npm test` builds dist/ before running this.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { cli, startCli, type CliRun } from '../../fixtures/cli-runner.js';
import { type Lab, startLab } from '../../fixtures/lab.js';
import { checkMetrics, promtoolBinary } from '../../fixtures/promtool.js';
import { SCENARIOS } from '../../fixtures/scenarios.js';
import { RunMetrics } from '../../src/metrics/run-metrics.js';
import type { DomainResult, PolicyRecommendation } from '../../src/types.js';
import { inDays, mxHost, NOW, scan } from '../helpers/diff-fixtures.js';
import { samples } from '../helpers/prometheus-samples.js';

type Saved = DomainResult & { policy: PolicyRecommendation };

let lab: Lab;
let dir: string;
let common: string[];
let run: CliRun;
let ndjson: Saved[];
let metricsText: string;
let metrics: Map<string, number>;
let before: number;
let after: number;
const domains = SCENARIOS.map((s) => s.domain);
const file = (name: string) => join(dir, name);

function parseNdjson(text: string): Saved[] {
  return text.trim().split('\n').map((l) => JSON.parse(l) as Saved);
}

function tally<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** The promtool to run; outside CI a missing one skips the test, with the reason printed. */
function requirePromtool(ctx: TestContext): string {
  const promtool = promtoolBinary();
  if (promtool) return promtool;
  // CI installs it (scripts/ensure-debian-packages.sh); only a developer machine may skip.
  if (process.env.CI) throw new Error('promtool is missing, but CI must have it (scripts/ensure-promtool.sh)');
  const reason = 'no promtool on PATH or in ~/.cache/mxtls-promtool (run scripts/ensure-promtool.sh as root)';
  process.stderr.write(`skipped: ${reason}\n`);
  return ctx.skip(reason);
}

beforeAll(async () => {
  lab = await startLab();
  dir = mkdtempSync(join(tmpdir(), 'mxtls-metrics-'));
  common = ['scan', '--resolver', lab.resolver, '--port', String(lab.smtpPort), '--ca-file', lab.caFile, '--https-port', String(lab.httpsPort), '--timeout', '4', '--ehlo', 'test.mxtls.test', '-q'];
  before = Date.now() / 1000;
  run = await cli([...common, '--format', 'ndjson', '--detail', 'full', '-o', file('run.ndjson'), '--metrics', file('mxtls.prom'), ...domains]);
  after = Date.now() / 1000;
  ndjson = parseNdjson(readFileSync(file('run.ndjson'), 'utf8'));
  metricsText = readFileSync(file('mxtls.prom'), 'utf8');
  metrics = samples(metricsText);
}, 120_000);

afterAll(async () => {
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scan --metrics over the lab', () => {
  it('runs as without it (exit 3: the lab has unknown domains) and covers every domain', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    expect(ndjson).toHaveLength(domains.length);
  });

  it('counts domains by kind, level and status as the NDJSON has them', () => {
    const kinds = tally(ndjson, (r) => r.policy.kind);
    for (const kind of ['line', 'no-mail', 'unknown']) expect(metrics.get(`mxtls_domains_by_kind{kind="${kind}"}`), kind).toBe(kinds.get(kind) ?? 0);
    const levels = tally(ndjson, (r) => (r.policy.kind === 'line' ? r.policy.level : undefined));
    for (const level of ['none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure']) {
      expect(metrics.get(`mxtls_domains_by_level{level="${level}"}`), level).toBe(levels.get(level) ?? 0);
    }
    const statuses = tally(ndjson, (r) => r.status);
    for (const status of ['scanned', 'no-mail', 'dns-error', 'internal-error']) expect(metrics.get(`mxtls_domains_by_status{status="${status}"}`), status).toBe(statuses.get(status) ?? 0);
    // The lab has several of each, so a swapped label would show.
    expect(levels.size).toBeGreaterThan(3);
  });

  it('counts distinct MX addresses probed and their failures by stage and kind', () => {
    const probes = new Map(ndjson.flatMap((r) => r.hosts.flatMap((h) => h.addresses.map((a) => [`${a.probe.address}|${a.probe.port}`, a.probe] as const))));
    expect(metrics.get('mxtls_mx_addresses_probed')).toBe(probes.size);
    const failures = tally([...probes.values()], (p) => (p.failure ? `mxtls_probe_failures{stage="${p.failure.stage}",kind="${p.failure.kind}"}` : undefined));
    expect(failures.size).toBeGreaterThan(1);
    const written = new Map([...metrics].filter(([k]) => k.startsWith('mxtls_probe_failures{')));
    expect(written).toEqual(failures);
  });

  it('counts the lab\'s expired certificate (expired.test), and labels it with its host and address', () => {
    const expired = ndjson.flatMap((r) =>
      r.hosts.flatMap((h) =>
        h.addresses.flatMap((a) => {
          const leaf = a.probe.tls?.chain[0];
          // A leaf authenticated by DANE-EE is trusted whatever its dates (RFC 7672 §3.1.1).
          const daneEe = a.dane?.matched === true && a.dane.by?.usage === 3;
          const datesMatter = (a.probe.tls?.trust.verdict === 'trusted' || a.probe.tls?.trust.verdict === 'expired') && !daneEe;
          return leaf && datesMatter && Date.parse(leaf.notAfter) < Date.now() ? [{ host: h.name, address: a.probe.address, notAfter: leaf.notAfter }] : [];
        }),
      ),
    );
    // danekeyonly.test's key-only certificate expired too, but its DANE-EE record makes its
    // dates irrelevant: not counted.
    expect(expired.map((e) => e.host).sort()).toEqual(['mx.expired.test']);
    expect(metrics.get('mxtls_certificates_expired')).toBe(expired.length);
    expect(metrics.get('mxtls_certificates_expiring')).toBe(0);
    expect(metrics.get('mxtls_certificate_expiry_warn_seconds')).toBe(14 * 86_400);
    for (const e of expired) {
      expect(metrics.get(`mxtls_certificate_not_after_seconds{host="${e.host}",address="${e.address}"}`)).toBe(Date.parse(e.notAfter) / 1000);
    }
  });

  it('times the run and writes no diff families without --diff', () => {
    const start = metrics.get('mxtls_run_start_time_seconds')!;
    const duration = metrics.get('mxtls_run_duration_seconds')!;
    expect(start).toBeGreaterThanOrEqual(before);
    expect(duration).toBeGreaterThan(0);
    expect(start + duration).toBeLessThanOrEqual(after);
    expect(metrics.get('mxtls_run_interrupted')).toBe(0);
    const oldest = Math.min(...ndjson.map((r) => Date.parse(r.startedAt))) / 1000;
    expect(metrics.get('mxtls_oldest_result_time_seconds')).toBe(oldest);
    expect(metricsText).not.toMatch(/mxtls_diff_/);
  });

  it('passes promtool check metrics, the Prometheus project\'s parser and linter', (ctx) => {
    const promtool = requirePromtool(ctx);
    expect(checkMetrics(promtool, metricsText)).toEqual({ status: 0, output: '' });
  });

  it('counts the regressions --diff finds, as --format diff lists them', async () => {
    // A previous run where nostarttls.test had a verify line and gone.test existed, and that
    // lacked valid.test: a level-down (regression), a domain gone and a domain new.
    const previous = ndjson
      .filter((r) => r.domain !== 'valid.test')
      .map((r) => (r.domain === 'nostarttls.test' ? { ...r, policy: { ...r.policy, level: 'verify' } } : r));
    const gone = { ...ndjson.find((r) => r.domain === 'valid.test')!, domain: 'gone.test' };
    writeFileSync(file('previous.ndjson'), [...previous, gone].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const diffRun = await cli([...common, '--diff', file('previous.ndjson'), '--format', 'diff', '--metrics', file('diff.prom'), ...domains]);
    expect(diffRun.code).toBe(1);
    const changes = diffRun.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; severity: string });
    const diffMetrics = samples(readFileSync(file('diff.prom'), 'utf8'));
    expect(diffMetrics.get('mxtls_diff_regressions')).toBe(changes.filter((c) => c.severity === 'regression').length);
    expect(diffMetrics.get('mxtls_diff_changes{type="level-down",severity="regression"}')).toBe(1);
    expect(new Map([...diffMetrics].filter(([k]) => k.startsWith('mxtls_diff_changes{')))).toEqual(
      tally(changes, (c) => `mxtls_diff_changes{type="${c.type}",severity="${c.severity}"}`),
    );
    expect(diffMetrics.get('mxtls_diff_changes{type="domain-gone",severity="info"}')).toBe(1);
    expect(diffMetrics.get('mxtls_diff_changes{type="domain-new",severity="info"}')).toBe(1);
  });

  it('policy --metrics over the saved results gives the scan\'s domain counts', async () => {
    const policyRun = await cli(['policy', file('run.ndjson'), '-o', file('tls_policy'), '--metrics', file('policy.prom')]);
    expect(policyRun.code).toBe(3);
    const policyMetrics = samples(readFileSync(file('policy.prom'), 'utf8'));
    const domainFigures = (m: Map<string, number>) => [...m].filter(([k]) => /^mxtls_(domains|mx_addresses|probe_failures|certificates|oldest)/.test(k));
    expect(domainFigures(policyMetrics)).toEqual(domainFigures(metrics));
  });

  it('marks an interrupted run, and a resumed one counts the domains it kept with their own scan time', async () => {
    const out = file('interrupted.ndjson');
    // One probe at a time keeps the run long enough to interrupt it part-way (as batch-cli.test.ts).
    const started = startCli([...common, '--concurrency', '1', '--format', 'ndjson', '--detail', 'full', '-o', out, '--metrics', file('interrupted.prom'), ...domains]);
    await new Promise((r) => setTimeout(r, 1500));
    started.child.kill('SIGINT');
    expect((await started.done).code).toBe(130);
    const partial = parseNdjson(readFileSync(out, 'utf8'));
    const cut = samples(readFileSync(file('interrupted.prom'), 'utf8'));
    expect(cut.get('mxtls_run_interrupted')).toBe(1);
    const kinds = (m: Map<string, number>) => [...m].filter(([k]) => k.startsWith('mxtls_domains_by_kind{')).reduce((sum, [, v]) => sum + v, 0);
    expect(kinds(cut)).toBe(partial.length);
    expect(partial.length).toBeLessThan(domains.length);

    const resumed = await cli([...common, '--format', 'ndjson', '--detail', 'full', '--resume', out, '-o', out, '--metrics', file('resumed.prom'), ...domains]);
    expect(resumed.code).toBe(3);
    const whole = samples(readFileSync(file('resumed.prom'), 'utf8'));
    expect(whole.get('mxtls_run_interrupted')).toBe(0);
    expect(kinds(whole)).toBe(domains.length);
    expect(whole.get('mxtls_oldest_result_time_seconds')).toBe(Math.min(...partial.map((r) => Date.parse(r.startedAt))) / 1000);
    expect(whole.get('mxtls_oldest_result_time_seconds')!).toBeLessThan(whole.get('mxtls_run_start_time_seconds')!);
  }, 60_000);

  it('stops before scanning when the metrics file\'s directory does not exist', async () => {
    const bad = await cli([...common, '--metrics', file('missing/mxtls.prom'), 'valid.test']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--metrics .*missing\/mxtls\.prom: cannot write in .*missing \(no such directory\)/);
  });
});

describe('promtool and hostile label values', () => {
  it('accepts MX host names with quotes, backslashes, line breaks and odd Unicode, escaped', (ctx) => {
    const promtool = requirePromtool(ctx);
    const m = new RunMetrics(NOW, { expiryWarnDays: 14, diff: true });
    const names = ['mx"quoted".example', 'mx\\back.example', 'mx\nnext\nline.example', 'mx\u202e\u0000\ud800.example', 'mx} 1\nmxtls_fake 2 #.example'];
    for (const [i, name] of names.entries()) {
      const s = scan(`d${i}.example`, [mxHost(name, ['verified'], { notAfter: inDays(3) })], { level: 'verify' });
      m.domain(s.result, s.rec);
    }
    const text = m.render({ durationMs: 12 });
    expect(checkMetrics(promtool, text)).toEqual({ status: 0, output: '' });
    expect(text).not.toMatch(/^mxtls_fake/m);
    expect([...samples(text).keys()].filter((k) => k.startsWith('mxtls_certificate_not_after_seconds'))).toHaveLength(names.length);
  });

  it('is a real check: promtool rejects an unescaped quote', (ctx) => {
    const promtool = requirePromtool(ctx);
    const check = checkMetrics(promtool, '# HELP mxtls_x x\n# TYPE mxtls_x gauge\nmxtls_x{host="a"b"} 1\n');
    expect(check.status).toBe(1);
    expect(check.output).toMatch(/parsing error/);
  });
});
