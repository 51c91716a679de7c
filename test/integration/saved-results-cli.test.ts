// Saved results against their schema, through the real, compiled CLI over the lab: every
// scenario's real output (not only hand-built goldens) validates against schema/result.schema.json,
// and a damaged line is reported with its number and skipped, the run going on, in each of the
// four uses of saved results (--diff, --previous, --resume, mxtls policy), all through the one reader.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../fixtures/cli-runner.js';
import { type Lab, startLab } from '../../fixtures/lab.js';
import { SCENARIOS } from '../../fixtures/scenarios.js';
import { resultValidators } from '../helpers/result-schema.js';

let lab: Lab;
let dir: string;
let common: string[];
const domains = SCENARIOS.map((s) => s.domain);

beforeAll(async () => {
  lab = await startLab();
  dir = mkdtempSync(join(tmpdir(), 'mxtls-saved-'));
  common = ['scan', '--resolver', lab.resolver, '--port', String(lab.smtpPort), '--ca-file', lab.caFile, '--https-port', String(lab.httpsPort), '--timeout', '3', '--ehlo', 'test.mxtls.test'];
}, 60_000);

afterAll(async () => {
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const nonBlank = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe('the schema holds for real output of the whole lab', () => {
  it('every NDJSON line and the JSON document', async () => {
    const [compact, full, json] = await Promise.all([
      cli([...common, '--format', 'ndjson', ...domains]),
      cli([...common, '--format', 'ndjson', '--detail', 'full', ...domains]),
      cli([...common, '--format', 'json', ...domains]),
    ]);
    const { line, document } = resultValidators();
    for (const ndjson of [compact, full]) {
      const lines = nonBlank(ndjson.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.filter((l) => !('record' in l)).map((l) => l['domain']).sort()).toEqual([...domains].sort());
      for (const l of lines) expect(line(l), String(l['domain'] ?? l['record'])).toEqual([]);
      // The fields the goldens lack are really there, so the schema is checked on them.
      const text = ndjson.stdout;
      for (const field of ['"der":', '"dnssec":', '"dane":', '"mtaSts":', '"tlsRpt":', '"transcript":', '"failure":', '"internalError"']) {
        if (field === '"internalError"') expect(text).not.toContain(field);
        else expect(text, field).toContain(field);
      }
    }
    // The compact form has records, and lines that name them.
    expect(compact.stdout).toContain('"record":"probe"');
    expect(compact.stdout).toContain('"record":"certificate"');
    expect(full.stdout).not.toContain('"record":');
    const doc = JSON.parse(json.stdout) as { results: unknown[] };
    expect(doc.results).toHaveLength(domains.length);
    expect(document(doc)).toEqual([]);
  }, 120_000);

  it('a compact file, a whole one and a gzipped one give the same policy file', async () => {
    const compactFile = join(dir, 'lab-compact.ndjson');
    const fullFile = join(dir, 'lab-full.ndjson');
    await cli([...common, '--format', 'ndjson', '--output', compactFile, ...domains]);
    await cli([...common, '--format', 'ndjson', '--detail', 'full', '--output', fullFile, ...domains]);
    // Each domain's lines, in domain order (a scan writes domains as they finish): a domain's
    // comment lines stay with its entry.
    const policy = async (file: string) =>
      (await cli(['policy', file])).stdout
        .split(/\n(?=# [^ ]+: )/)
        .filter((block) => !block.startsWith('# mxtls'))
        .sort()
        .join('\n');
    const fromFull = await policy(fullFile);
    expect(fromFull).toMatch(/^valid\.test\s+verify$/m);
    expect(await policy(compactFile)).toBe(fromFull);

    // Named *.gz, the file is gzip (what a nightly run over a million domains wants on disk), and
    // every reader takes it as it is: the policy, and a merge whose output is gzipped in turn.
    const gzFile = join(dir, 'lab-compact.ndjson.gz');
    await cli([...common, '--format', 'ndjson', '--output', gzFile, ...domains]);
    const gz = readFileSync(gzFile);
    expect([...gz.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const lines = nonBlank(gunzipSync(gz).toString('utf8')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => !('record' in l)).map((l) => l['domain']).sort()).toEqual([...domains].sort());
    expect(await policy(gzFile)).toBe(fromFull);
    const merged = join(dir, 'merged.ndjson.gz');
    expect((await cli(['merge', gzFile, '-o', merged])).code).toBe(0);
    expect(gunzipSync(readFileSync(merged)).toString('utf8')).toContain('"record":"probe"');
    expect(await policy(merged)).toBe(fromFull);
  }, 120_000);
});

describe('a damaged line in saved results is reported with its number and skipped, the run goes on', () => {
  let saved: string[];
  let damagedFile: string;
  const picked = ['valid.test', 'twomx.test', 'nostarttls.test'];
  const report = (file: string) => new RegExp(`^mxtls: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: /hosts/0/addresses/0: must have required property 'probe' \\(skipped\\)$`, 'm');

  beforeAll(async () => {
    // Whole lines (--detail full): one line per domain, so line 2 is a domain.
    saved = nonBlank((await cli([...common, '--format', 'ndjson', '--detail', 'full', ...picked])).stdout);
    // Line 2 is valid.test with an address that lost its probe (an edit by hand, a bad copy).
    const lines = [...saved].sort((a, b) => (a.includes('"valid.test"') ? 1 : 0) - (b.includes('"valid.test"') ? 1 : 0));
    const last = JSON.parse(lines.pop()!);
    delete last.hosts[0].addresses[0].probe;
    damagedFile = join(dir, 'damaged.ndjson');
    writeFileSync(damagedFile, [lines[0], JSON.stringify(last), lines[1]].join('\n') + '\n');
  }, 60_000);

  it('mxtls policy', async () => {
    const run = await cli(['policy', damagedFile]);
    expect(run.stderr).toMatch(report(damagedFile));
    expect(run.stderr).not.toMatch(/Cannot read properties/);
    expect(run.code).toBe(3); // finished, but something was left out
    expect(run.stdout).toMatch(/^twomx\.test\s+may$/m);
    expect(run.stdout).not.toMatch(/^valid\.test/m);
  });

  it('--diff', async () => {
    const run = await cli([...common, '--format', 'ndjson', '--detail', 'full', '--diff', damagedFile, ...picked]);
    expect(run.stderr).toMatch(report(damagedFile));
    expect(nonBlank(run.stdout)).toHaveLength(picked.length);
    // Skipped yesterday, so valid.test is new today: not a regression.
    expect(run.stderr).toMatch(/^\s+valid\.test\s+new domain \(verify\)$/m);
    expect(run.code).toBe(0);
  }, 60_000);

  it('--previous', async () => {
    const run = await cli([...common, '--format', 'policy', '--previous', damagedFile, ...picked]);
    expect(run.stderr).toMatch(report(damagedFile));
    expect(run.stdout).toMatch(/^valid\.test\s+verify$/m);
    expect(run.stdout).toMatch(/^twomx\.test\s+may$/m);
  }, 60_000);

  it('--resume: the skipped domain is scanned again, the others are carried', async () => {
    const out = join(dir, 'resumed.ndjson');
    writeFileSync(out, readFileSync(damagedFile));
    const list = join(dir, 'picked.txt');
    writeFileSync(list, `${picked.join('\n')}\n`);
    const run = await cli([...common, '--format', 'ndjson', '--resume', out, '--output', out, '-f', list]);
    expect(run.stderr).toMatch(report(out));
    const results = nonBlank(readFileSync(out, 'utf8'))
      .map((l) => JSON.parse(l) as { domain: string; record?: string; hosts: { addresses: { probe?: unknown }[] }[] })
      .filter((l) => l.record === undefined);
    expect(results.map((r) => r.domain).sort()).toEqual([...picked].sort());
    expect(results.find((r) => r.domain === 'valid.test')!.hosts[0]!.addresses[0]!.probe).toBeDefined();
  }, 60_000);
});
