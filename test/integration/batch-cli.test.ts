// The nightly-batch features of the real CLI over the lab: interruption and resume, carrying
// yesterday's line over an inconclusive scan, re-rendering saved results, explicit next hops.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../../fixtures/lab.js';
import { SCENARIOS } from '../../fixtures/scenarios.js';
import type { DomainResult, PolicyRecommendation } from '../../src/types.js';
import { cli, startCli } from '../../fixtures/cli-runner.js';
import { postmap } from '../helpers/postmap.js';

type Saved = DomainResult & { policy: PolicyRecommendation };

let lab: Lab;
let dir: string;
let common: string[];
const domains = SCENARIOS.map((s) => s.domain);

const parse = (text: string): Saved[] => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Saved);
const levels = (rs: Saved[]) => rs.map((r) => `${r.domain} ${r.policy.kind} ${r.policy.level ?? ''}`).sort();

beforeAll(async () => {
  lab = await startLab();
  dir = mkdtempSync(join(tmpdir(), 'mxtls-batch-'));
  common = ['scan', '--resolver', lab.resolver, '--port', String(lab.smtpPort), '--ca-file', lab.caFile, '--https-port', String(lab.httpsPort), '--timeout', '3', '--ehlo', 'test.mxtls.test'];
}, 60_000);

afterAll(async () => {
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('interrupt and resume', () => {
  it('SIGINT writes what is done and exits 130; --resume completes the same set as an uninterrupted run', async () => {
    const whole = await cli([...common, '--format', 'ndjson', '--detail', 'full', ...domains]);
    const expected = levels(parse(whole.stdout));
    expect(expected).toHaveLength(domains.length);

    const out = join(dir, 'run.ndjson');
    const list = join(dir, 'domains.txt');
    writeFileSync(list, `${domains.join('\n')}\n`);
    // One probe at a time keeps the run long enough to interrupt it part-way.
    const run = startCli([...common, '--concurrency', '1', '--format', 'ndjson', '--detail', 'full', '--output', out, '-f', list]);
    await new Promise((r) => setTimeout(r, 1500));
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/SIGINT: finishing the domains in flight/);
    const partial = parse(readFileSync(out, 'utf8'));
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(domains.length);

    const resumed = await cli([...common, '--format', 'ndjson', '--detail', 'full', '--resume', out, '--output', out, '-f', list]);
    expect(resumed.code).toBe(3);
    const all = parse(readFileSync(out, 'utf8'));
    expect(all.map((r) => r.domain).sort()).toEqual([...domains].sort());
    expect(levels(all)).toEqual(expected);
    // The finished part was not scanned again: its results are carried as they were.
    const first = partial[0]!;
    expect(all.find((r) => r.domain === first.domain)!.startedAt).toBe(first.startedAt);
  }, 120_000);
});

describe('--previous', () => {
  it('an inconclusive domain keeps its earlier line, marked as carried over', async () => {
    const yesterday = (await cli([...common, '--format', 'ndjson', '--detail', 'full', 'valid.test', 'silent.test'])).stdout;
    // Pretend silent.test answered yesterday with a trusted certificate.
    const edited = parse(yesterday).map((r) =>
      r.domain === 'silent.test' ? { ...r, startedAt: '2026-11-20T02:00:00.000Z', policy: { ...r.policy, kind: 'line', level: 'verify' } } : r,
    );
    const prev = join(dir, 'yesterday.ndjson');
    writeFileSync(prev, edited.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const today = await cli([...common, '--format', 'policy', '--previous', prev, 'valid.test', 'silent.test']);
    expect(today.stdout).toMatch(/^# silent\.test: carried over from 2026-11-20: today unknown \(none of 1 MX addresses could be observed: greeting-timeout\)$/m);
    expect(today.stdout).toMatch(/^silent\.test\s+verify$/m);
    expect(today.stdout).toMatch(/^valid\.test\s+verify$/m);
  }, 60_000);
});

describe('mxtls policy', () => {
  it('re-renders saved results into the same table a scan writes, without the network', async () => {
    const saved = join(dir, 'saved.ndjson');
    const scan = await cli([...common, '--format', 'ndjson', '--detail', 'full', '--output', saved, 'valid.test', 'twomx.test', 'nullmx.test']);
    expect(scan.code).toBe(0);
    const direct = await cli([...common, '--format', 'policy', 'valid.test', 'twomx.test', 'nullmx.test']);
    await lab.close(); // nothing to scan any more: the policy command must not need it
    const rerendered = await cli(['policy', saved]);
    lab = await startLab();
    common[2] = lab.resolver;
    common[4] = String(lab.smtpPort);
    common[6] = lab.caFile;
    common[8] = String(lab.httpsPort);
    const body = (t: string) => t.split('\n').filter((l) => !l.startsWith('# mxtls ')).sort();
    expect(rerendered.code).toBe(0);
    expect(body(rerendered.stdout)).toEqual(body(direct.stdout));
    const strongest = await cli(['policy', '--mixed', 'strongest', saved]);
    expect(strongest.stdout).toMatch(/^twomx\.test\s+verify$/m);
  }, 60_000);
});

describe('explicit next hops', () => {
  it('probes [host]:port directly and writes the key as given', async () => {
    const key = `[mx.valid.test]:${lab.smtpPort}`;
    const run = await cli([...common, '--format', 'policy', key, '[127.0.0.15]']);
    expect(run.stdout).toMatch(new RegExp(`^\\[mx\\.valid\\.test\\]:${lab.smtpPort}\\s+verify$`, 'm'));
    // [127.0.0.15] uses --port; its certificate cannot match an IP literal, and it has no STARTTLS anyway.
    expect(run.stdout).toMatch(/^\[127\.0\.0\.15\]\s+may$/m);
    if (existsSync('/usr/sbin/postmap')) {
      const file = join(dir, 'nexthop_policy');
      writeFileSync(file, run.stdout);
      expect(postmap(['-q', key, `texthash:${file}`]).stdout.trim()).toBe('verify');
    }
  }, 60_000);
});

describe('--diff', () => {
  it('flags a level that went down as a regression and exits 1', async () => {
    const yesterday = parse((await cli([...common, '--format', 'ndjson', '--detail', 'full', 'valid.test', 'twomx.test', 'nostarttls.test'])).stdout);
    // Yesterday twomx.test was verify (its backup MX has since lost STARTTLS, say).
    const edited = yesterday.map((r) => (r.domain === 'twomx.test' ? { ...r, policy: { ...r.policy, level: 'verify' } } : r));
    const prev = join(dir, 'diff-prev.ndjson');
    writeFileSync(prev, edited.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const out = join(dir, 'diff-today.ndjson');

    const summary = await cli([...common, '--format', 'ndjson', '--detail', 'full', '--output', out, '--diff', prev, 'valid.test', 'twomx.test', 'nostarttls.test']);
    expect(summary.code).toBe(1);
    expect(summary.stdout).toMatch(/^1 regression/m);
    expect(summary.stdout).toMatch(/twomx\.test/);

    const machine = await cli([...common, '--format', 'diff', '--diff', prev, 'valid.test', 'twomx.test']);
    expect(machine.code).toBe(1);
    const changes = parse(machine.stdout) as unknown as { domain: string; type: string; severity: string }[];
    expect(changes).toContainEqual(expect.objectContaining({ domain: 'twomx.test', type: 'level-down', severity: 'regression' }));
    // nostarttls.test was not scanned this time: it is gone, which is not a regression.
    expect(changes).toContainEqual(expect.objectContaining({ domain: 'nostarttls.test', type: 'domain-gone', severity: 'info' }));

    const same = await cli([...common, '--format', 'ndjson', '--detail', 'full', '--output', out, '--diff', out, 'valid.test']);
    expect(same.code).toBe(0);
  }, 60_000);
});
