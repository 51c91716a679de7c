// Runs the real, compiled CLI against the whole lab and checks every scenario gets the
// recommendation POLICY.md gives it. `npm test` builds dist/ before running this.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../../fixtures/lab.js';
import { runtimeHasMlKem, runtimeNamesMlKem } from '../../fixtures/ml-kem.js';
import { SCENARIOS } from '../../fixtures/scenarios.js';
import type { DomainResult, PolicyRecommendation } from '../../src/types.js';
import { cli } from '../../fixtures/cli-runner.js';
import { postmap } from '../helpers/postmap.js';
import { words } from '../helpers/words.js';

let lab: Lab;
let common: string[];
let ndjson: Map<string, DomainResult & { policy: PolicyRecommendation }>;
let policyRun: { code: number | null; stdout: string; stderr: string };
const domains = SCENARIOS.map((s) => s.domain);

beforeAll(async () => {
  lab = await startLab();
  common = ['scan', '--resolver', lab.resolver, '--port', String(lab.smtpPort), '--ca-file', lab.caFile, '--https-port', String(lab.httpsPort), '--timeout', '4', '--ehlo', 'test.mxtls.test'];
  const [json, policy] = await Promise.all([cli([...common, '--format', 'ndjson', '--detail', 'full', ...domains]), cli([...common, '--format', 'policy', ...domains])]);
  ndjson = new Map(json.stdout.trim().split('\n').map((l) => {
    const r = JSON.parse(l) as DomainResult & { policy: PolicyRecommendation };
    return [r.domain, r] as const;
  }));
  policyRun = policy;
}, 120_000);

afterAll(async () => {
  await lab?.close();
});

describe('the CLI over the lab', () => {
  it('reports every domain exactly once', () => {
    expect([...ndjson.keys()].sort()).toEqual([...domains].sort());
  });

  it.each(SCENARIOS.map((s) => [s.domain, s.what, s] as const))('%s (%s)', (domain, _what, scenario) => {
    const r = ndjson.get(domain)!;
    expect({ kind: r.policy.kind, level: r.policy.level }, words(r.policy).reasons.join('; ')).toEqual({ kind: scenario.expect.kind, level: scenario.expect.level });
    expect(r.policy.attributes.match).toBe(scenario.expect.match);
    if (scenario.expect.warning) expect(words(r.policy).warnings.join('\n')).toMatch(scenario.expect.warning);
    if (scenario.expect.dnssec) expect(r.dnssec).toBe(scenario.expect.dnssec);
  });

  it('reports a post-quantum key exchange for the server that offers one (when this Node has ML-KEM), a classic one for the others', async () => {
    const exchanges = [...ndjson.values()].flatMap((r) =>
      r.hosts.flatMap((h) => h.addresses.flatMap((a) => (a.probe.tls?.keyExchange ? [[r.domain, a.probe.tls.keyExchange] as const] : []))),
    );
    expect(exchanges.length).toBeGreaterThan(20);
    const names = await runtimeNamesMlKem();
    for (const [domain, kx] of exchanges) {
      if (domain !== 'pq.test' || !runtimeHasMlKem()) expect(kx, domain).toMatchObject({ type: 'ECDH', postQuantum: false });
      else expect(kx, domain).toEqual(names ? { type: 'TLSGroup', name: 'X25519MLKEM768', group: 'X25519MLKEM768', postQuantum: true } : { type: 'unnamed' });
    }
    expect(exchanges.some(([domain]) => domain === 'pq.test')).toBe(true);
  });

  it('reports DANE per host and per address', () => {
    const ee = ndjson.get('daneee.test')!;
    expect(ee.hosts[0]!.dane).toMatchObject({ status: 'tlsa', tlsaName: '_25._tcp.mx.daneee.test', usable: 1 });
    expect(ee.hosts[0]!.addresses[0]!.dane).toEqual({ matched: true, by: { usage: 3, selector: 1, matchingType: 1, depth: 0 } });
    const ta = ndjson.get('daneta.test')!.hosts[0]!.addresses[0]!.dane;
    expect(ta).toEqual({ matched: true, by: { usage: 2, selector: 1, matchingType: 1, depth: 1 } });
    expect(ndjson.get('danemismatch.test')!.hosts[0]!.addresses[0]!.dane).toEqual({ matched: false, failure: 'no-match' });
    const unsigned = ndjson.get('daneunsigned.test')!.hosts[0]!;
    expect(unsigned.dane).toMatchObject({ status: 'not-applicable', records: [] });
    expect(unsigned.addresses[0]!.dane).toBeUndefined();
    const some = ndjson.get('danesome.test')!.hosts.map((h) => h.dane?.status);
    expect(some).toEqual(['tlsa', 'no-tlsa']);
    const bogus = ndjson.get('danebogus.test')!;
    expect(bogus.status).toBe('dns-error');
    expect(bogus.mx).toMatchObject({ status: 'dns-error', reason: 'bogus' });
  });

  it('writes a policy line for exactly the domains that deserve one, comments for the rest', () => {
    const lines = policyRun.stdout.split('\n');
    const entries = lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/));
    const expected = SCENARIOS.filter((s) => s.expect.kind === 'line').map((s) => [s.domain, s.expect.level, ...(s.expect.match ? [`match=${s.expect.match}`] : [])]);
    expect(entries.sort()).toEqual(expected.sort());
    for (const s of SCENARIOS.filter((x) => x.expect.kind !== 'line')) {
      expect(lines.some((l) => l.startsWith(`# ${s.domain}:`)), s.domain).toBe(true);
    }
  });

  it('takes one value per --resolver: a domain right after it is still a domain', async () => {
    const rest = common.filter((_, i) => i > 2); // common without 'scan --resolver ADDR'
    const run = await cli(['scan', '--resolver', lab.resolver, 'daneta.test', ...rest, '--format', 'policy']);
    expect(run.stderr).not.toMatch(/give domains/);
    expect(run.stdout).toMatch(/^daneta\.test\s+dane-only$/m);
  });

  it('exits 3 when some domains are unknown', () => {
    expect(policyRun.code).toBe(3);
  });

  it('passes postmap', (ctx) => {
    if (spawnSync('postmap', ['-h'], { encoding: 'utf8' }).error) {
      // CI installs Postfix (.ci/run); only a developer machine without it may skip.
      if (process.env.CI) throw new Error('postmap is not installed, but CI must have it');
      ctx.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'mxtls-postmap-'));
    try {
      const file = join(dir, 'tls_policy');
      writeFileSync(file, policyRun.stdout);
      const run = postmap([`hash:${file}`]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const query = postmap(['-q', 'valid.test', `hash:${file}`]);
      expect(query.stdout.trim()).toBe('verify');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports MTA-STS and TLS-RPT per domain', () => {
    const r = ndjson.get('sts.test')!;
    expect(r.mtaSts).toMatchObject({ status: 'ok', id: '20261122a', policy: { mode: 'enforce', mx: ['mx.sts.test'], maxAge: 86400 } });
    expect(r.tlsRpt).toEqual({ status: 'ok', rua: ['mailto:tlsrpt@sts.test'] });
    expect(ndjson.get('valid.test')!.mtaSts).toMatchObject({ status: 'none' });
  });

  it('reads domains from stdin, reports bad lines with their number and goes on', async () => {
    const run = await cli([...common, '--format', 'ndjson', '--detail', 'full', '-f', '-'], '# list\nvalid.test\nnot a domain\n\npostmaster@NostartTLS.test\n');
    expect(run.stderr).toMatch(/stdin:3: more than one word/);
    const got = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { domain: string; policy: PolicyRecommendation });
    expect(got.map((g) => [g.domain, g.policy.level]).sort()).toEqual([['nostarttls.test', 'may'], ['valid.test', 'verify']]);
    expect(run.code).toBe(3);
  });

  it('shows the detailed view for a single domain', async () => {
    const run = await cli([...common, '--format', 'table', 'valid.test']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('127.0.0.11');
    expect(run.stdout).toMatch(/TLSv1\.3/);
    expect(run.stdout).toMatch(/mx\.valid\.test/);
    expect(run.stdout).toMatch(/verify/);
  });

  it('writes --output atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxtls-out-'));
    try {
      const out = join(dir, 'tls_policy');
      const run = await cli([...common, '--format', 'policy', '--output', out, 'valid.test', 'nostarttls.test']);
      expect(run.stdout).toBe('');
      expect(readFileSync(out, 'utf8')).toMatch(/^valid\.test\s+verify$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad options with exit code 2', async () => {
    const run = await cli(['scan', '--port', '70000', 'valid.test']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--port must be 1-65535/);
  });

  it.each([
    [['--per-provider', '0'], /--per-provider must be at least 1/],
    [['--retry-delays', '30,soon'], /--retry-delays: not a number of seconds: "soon"/],
  ])('rejects %j with exit code 2', async (args, message) => {
    const run = await cli(['scan', ...args, 'valid.test']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
