// Issue 16 item 6 over the lab, through the real CLI: `scan --shard K/N` on N "machines" covers
// the list exactly once, and `mxtls merge` joins their NDJSON into the run an unsharded scan
// writes, keeping the newest result of a domain found twice and skipping a damaged line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../../fixtures/lab.js';
import { SCENARIOS } from '../../fixtures/scenarios.js';
import type { DomainResult, PolicyRecommendation } from '../../src/types.js';
import { cli } from '../../fixtures/cli-runner.js';

type Saved = DomainResult & { policy: PolicyRecommendation };

let lab: Lab;
let dir: string;
let common: string[];
let list: string;
const domains = SCENARIOS.map((s) => s.domain);

/** The domain lines of an NDJSON file (a compact one holds records too). */
const parse = (text: string): Saved[] =>
  text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Saved & { record?: string }).filter((l) => l.record === undefined);
const levels = (rs: Saved[]) => rs.map((r) => `${r.domain} ${r.policy.kind} ${r.policy.level ?? ''}`).sort();
const shardFile = (k: number) => join(dir, `shard-${k}.ndjson`);

beforeAll(async () => {
  lab = await startLab();
  dir = mkdtempSync(join(tmpdir(), 'mxtls-shard-'));
  common = ['scan', '--resolver', lab.resolver, '--port', String(lab.smtpPort), '--ca-file', lab.caFile, '--https-port', String(lab.httpsPort), '--timeout', '3', '--ehlo', 'test.mxtls.test', '--quiet'];
  list = join(dir, 'domains.txt');
  writeFileSync(list, `${domains.join('\n')}\n`);
}, 60_000);

afterAll(async () => {
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scan --shard and merge', () => {
  it('shards 1/3, 2/3, 3/3 cover every lab domain once; their merge equals an unsharded run', async () => {
    const whole = await cli([...common, '--format', 'ndjson', '-f', list]);
    const expected = levels(parse(whole.stdout));
    expect(expected).toHaveLength(domains.length);

    const seen: string[] = [];
    for (const k of [1, 2, 3]) {
      const run = await cli([...common, '--format', 'ndjson', '--shard', `${k}/3`, '--output', shardFile(k), '-f', list]);
      expect([0, 3]).toContain(run.code);
      const part = parse(readFileSync(shardFile(k), 'utf8'));
      // Each shard is a real part: neither empty nor the whole list (the lab has 20+ domains).
      expect(part.length).toBeGreaterThan(0);
      expect(part.length).toBeLessThan(domains.length);
      seen.push(...part.map((r) => r.domain));
    }
    expect(seen.sort()).toEqual([...domains].sort());

    const merged = join(dir, 'merged.ndjson');
    const m = await cli(['merge', shardFile(1), shardFile(2), shardFile(3), '-o', merged]);
    expect(m.stderr).toMatch(new RegExp(`merged ${domains.length} domains from 3 files`));
    expect(m.code).toBe(0);
    expect(levels(parse(readFileSync(merged, 'utf8')))).toEqual(expected);

    // The merged file is a run the other commands read: policy writes a line per domain.
    const policy = await cli(['policy', merged]);
    expect(policy.stderr).not.toMatch(/skipped/);
    expect(policy.stdout).toMatch(/^valid\.test\s+verify$/m);
  }, 180_000);

  it('a domain in two files keeps the newest result and says so; a damaged line is reported and skipped', async () => {
    // Whole lines: each is copied into the files below on its own.
    const [one, two] = parse((await cli([...common, '--format', 'ndjson', '--detail', 'full', 'valid.test', 'silent.test'])).stdout).sort((a, b) => a.domain.localeCompare(b.domain));
    expect(one!.domain).toBe('silent.test');
    // An older file with silent.test scanned yesterday (and said verify then), and a newer one.
    const older = join(dir, 'older.ndjson');
    const newer = join(dir, 'newer.ndjson');
    const yesterday = { ...one!, startedAt: '2026-11-20T02:00:00.000Z', policy: { ...one!.policy, kind: 'line', level: 'verify' } };
    writeFileSync(older, `${JSON.stringify(yesterday)}\n{"schema": 3, "domain": "broken.te\n`);
    writeFileSync(newer, `${JSON.stringify(one)}\n${JSON.stringify(two)}\n`);
    const merged = join(dir, 'dup.ndjson');

    // The newer file first on the command line: the date decides, not the order.
    const m = await cli(['merge', newer, older, '-o', merged]);
    expect(m.code).toBe(3);
    expect(m.stderr).toContain(`${older}:2: not JSON (skipped)`);
    expect(m.stderr).toContain(`silent.test: in ${newer} and ${older}: keeping the newer, ${newer} (started ${one!.startedAt}; the other 2026-11-20T02:00:00.000Z)`);
    const out = parse(readFileSync(merged, 'utf8'));
    expect(out.map((r) => r.domain).sort()).toEqual(['silent.test', 'valid.test']);
    expect(out.find((r) => r.domain === 'silent.test')!.startedAt).toBe(one!.startedAt);
    expect(levels(out)).toEqual(levels([one!, two!]));
  }, 60_000);

  it('refuses a bad --shard and --shard with --diff (every other shard would look gone)', async () => {
    const bad = await cli([...common, '--shard', '4/3', 'valid.test']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shard must be K\/N with 1 <= K <= N/);
    const diff = await cli([...common, '--shard', '1/3', '--diff', list, 'valid.test']);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toMatch(/--diff with --shard/);
  }, 30_000);

  it('a missing input file is a usage error and leaves no output', async () => {
    const merged = join(dir, 'none.ndjson');
    const m = await cli(['merge', join(dir, 'absent.ndjson'), '-o', merged]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/absent\.ndjson/);
    expect(() => readFileSync(merged)).toThrow();
  }, 30_000);
});
