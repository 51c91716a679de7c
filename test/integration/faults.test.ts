// 20,000 domains with injected faults: DNS that never answers, SERVFAIL, MX addresses where nothing
// listens, MX hosts that accept and never greet. Every input domain must come out exactly
// once, with the status its fault gives, and the process must end cleanly.
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyntheticLab, startSyntheticLab } from '../../fixtures/synthetic-lab.js';
import type { DomainResult, PolicyRecommendation } from '../../src/types.js';
import { cli } from '../../fixtures/cli-runner.js';

const DOMAINS = 20_000;
let lab: SyntheticLab;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mxtls-faults-'));
  lab = await startSyntheticLab({ domains: DOMAINS, mx: 3, faults: { 'dns-timeout': 29, servfail: 13, refused: 11, silent: 7 } });
}, 60_000);

afterAll(async () => {
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a batch with injected faults', () => {
  it('reports every domain exactly once with the status its fault gives', async () => {
    const out = join(dir, 'out.ndjson');
    const run = await cli(['scan', '-f', lab.listFile, '--resolver', lab.resolver, '--port', String(lab.port), '--ca-file', lab.caFile,
      // The synthetic lab is one provider (bench.test) standing for many servers.
      '--timeout', '1', '--concurrency', '20', '--per-provider', '20', '--format', 'ndjson', '--detail', 'full', '--output', out, '--quiet', '--ehlo', 'faults.mxtls.test']);
    expect(run.code).toBe(3);
    // Nothing on stderr: no unhandled rejection, no warning, no stack.
    expect(run.stderr).toBe('');
    const results: (DomainResult & { policy: PolicyRecommendation })[] = [];
    for await (const line of createInterface({ input: createReadStream(out) })) results.push(JSON.parse(line) as DomainResult & { policy: PolicyRecommendation });
    const names = readFileSync(lab.listFile, 'utf8').trim().split('\n');
    expect(results).toHaveLength(DOMAINS);
    expect(new Set(results.map((r) => r.domain))).toEqual(new Set(names));

    const expected = { 'dns-timeout': 'dns-error', servfail: 'dns-error', refused: 'unknown', silent: 'unknown' } as const;
    const seen: Record<string, number> = {};
    for (const r of results) {
      const fault = lab.faults.get(r.domain);
      const got = fault === 'dns-timeout' || fault === 'servfail' ? r.status : r.policy.kind === 'unknown' ? 'unknown' : r.policy.level;
      const want = fault ? expected[fault] : 'verify';
      if (got !== want) throw new Error(`${r.domain} (${fault ?? 'no fault'}): got ${got}, want ${want}`);
      seen[fault ?? 'none'] = (seen[fault ?? 'none'] ?? 0) + 1;
    }
    for (const fault of ['dns-timeout', 'servfail', 'refused', 'silent', 'none']) expect(seen[fault], fault).toBeGreaterThan(500);
    // The three shared MX addresses were each probed once for the whole batch.
    expect(lab.addresses.map((a) => lab.connectionsTo(a))).toEqual([1, 1, 1]);
  }, 300_000);
});
