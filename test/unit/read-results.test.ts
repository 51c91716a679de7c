import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults, ResultsVersionError, type ResultsProblem, type SavedResult } from '../../src/input/read-results.js';
import { RESULT_VERSIONS } from '../../src/input/result-versions.js';
import { ndjsonLine } from '../../src/output/ndjson.js';
import { SCHEMA_VERSION } from '../../src/types.js';
import { sampleItems } from '../helpers/output-fixtures.js';
import { words } from '../helpers/words.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxtls-read-results-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
async function read(text: string, gzipped = false): Promise<{ results: SavedResult[]; problems: ResultsProblem[] }> {
  const path = join(dir, `results-${files++}.ndjson`);
  await writeFile(path, gzipped ? gzipSync(text) : text);
  const problems: ResultsProblem[] = [];
  const results: SavedResult[] = [];
  for await (const r of readResults(path, (p) => problems.push(p))) results.push(r);
  return { results, problems };
}

/** The NDJSON line of the first sample domain (example.com, verify), as an object to damage. */
function line(): Record<string, any> {
  const [first] = sampleItems();
  return JSON.parse(ndjsonLine(first!.result, first!.rec));
}

function damaged(change: (l: Record<string, any>) => void): string {
  const l = line();
  change(l);
  return JSON.stringify(l);
}

describe('readResults', () => {
  it('reads back every sample result as written', async () => {
    const items = sampleItems();
    const { results, problems } = await read(items.map(({ result, rec }) => ndjsonLine(result, rec)).join(''));
    expect(problems).toEqual([]);
    expect(results).toEqual(items.map(({ result, rec }) => JSON.parse(ndjsonLine(result, rec))));
  });

  it.each([
    ['not JSON', '{"schema":1,', 'not JSON'],
    ['not an object', '[1,2]', '/: must be object'],
    ['no schema', damaged((l) => delete l.schema), "/: must have required property 'schema'"],
    ['an empty domain', damaged((l) => (l.domain = '')), '/domain: must NOT have fewer than 1 characters'],
    ['a bad start time', damaged((l) => (l.startedAt = 'yesterday')), '/startedAt: must match pattern "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$"'],
    ['an unknown status', damaged((l) => (l.status = 'great')), '/status: must be equal to one of the allowed values'],
    ['hosts not a list', damaged((l) => (l.hosts = {})), '/hosts: must be array'],
    ['an unknown observation', damaged((l) => (l.hosts[1].addresses[0].observation = 'fine')), '/hosts/1/addresses/0/observation: must be equal to one of the allowed values'],
    ['an address without its probe', damaged((l) => delete l.hosts[0].addresses[0].probe), "/hosts/0/addresses/0: must have required property 'probe'"],
    ['an address that is not a string', damaged((l) => (l.hosts[0].addresses[0].probe.address = 1)), '/hosts/0/addresses/0/probe/address: must be string'],
    ['a fingerprint with colons', damaged((l) => (l.hosts[0].addresses[0].probe.tls.chain[0].sha256Fingerprint = 'aa:bb')), '/hosts/0/addresses/0/probe/tls/chain/0/sha256Fingerprint: must match pattern "^[0-9a-f]{64}$"'],
    ['no trust verdict', damaged((l) => delete l.hosts[0].addresses[0].probe.tls.trust), "/hosts/0/addresses/0/probe/tls: must have required property 'trust'"],
    ['no policy', damaged((l) => delete l.policy), "/: must have required property 'policy'"],
    ['an unknown level', damaged((l) => (l.policy.level = 'paranoid')), '/policy/level: must be equal to one of the allowed values'],
    ['an attribute that is not a string', damaged((l) => (l.policy.attributes = { match: 1 })), '/policy/attributes/match: must be string'],
    ['a field no version of mxtls writes', damaged((l) => (l.hosts[0].colour = 'red')), '/hosts/0: must NOT have additional properties (colour)'],
  ])('reports %s with its line number and the JSON pointer, skips it, reads on', async (_name, text, error) => {
    const good = ndjsonLine(sampleItems()[1]!.result, sampleItems()[1]!.rec);
    const { results, problems } = await read(`${good}\n${text}\r\n${good}`);
    expect(problems).toEqual([{ line: 3, error }]);
    expect(results).toHaveLength(2);
  });

  it('reads a file that starts with a byte order mark', async () => {
    const { results } = await read(`\uFEFF${ndjsonLine(sampleItems()[0]!.result, sampleItems()[0]!.rec)}`);
    expect(results.map((r) => r.domain)).toEqual(['example.com']);
  });

  it('refuses a file of a schema version it does not know, naming the line', async () => {
    const good = ndjsonLine(sampleItems()[1]!.result, sampleItems()[1]!.rec);
    const error = await read(`${good}${damaged((l) => (l.schema = 99))}\n${good}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultsVersionError);
    expect(error).toMatchObject({ line: 2, schema: 99 });
    expect((error as Error).message).toMatch(/:2: results of schema 99, this mxtls reads schema 1, 2, 3$/);
  });

  it('reads a gzipped file whatever its name, and stops at a version it does not know as cleanly', async () => {
    const good = ndjsonLine(sampleItems()[1]!.result, sampleItems()[1]!.rec);
    const whole = await read(`${good}${good}`, true);
    expect(whole.problems).toEqual([]);
    expect(whole.results).toHaveLength(2);
    // Stopping early closes the file under a stream still reading it: that must not surface as an
    // uncaught error (vitest fails the run on one).
    const error = await read(`${good}${damaged((l) => (l.schema = 99))}\n${good.repeat(2000)}`, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultsVersionError);
  });

  it('knows the version it writes, and version 1 (the files written before the schema was owned)', () => {
    expect(RESULT_VERSIONS.has(SCHEMA_VERSION)).toBe(true);
    expect(RESULT_VERSIONS.has(1)).toBe(true);
  });

  it('reads a version 2 compact file (records holding whole probes, whole DNS answers) into the same results', async () => {
    const v2 = readFileSync(fileURLToPath(new URL('../../fixtures/golden/report.v2-compact.ndjson', import.meta.url)), 'utf8');
    expect(v2).toContain('"record":"probe"');
    const { results, problems } = await read(v2);
    expect(problems).toEqual([]);
    expect(results.map((r) => r.schema)).toEqual(sampleItems().map(() => 2));
    expect(results.map((r) => ({ ...r, schema: SCHEMA_VERSION }))).toEqual(sampleItems().map(({ result, rec }) => JSON.parse(ndjsonLine(result, rec))));
  });

  it('reads a version 1 file (reasons as words) into today\'s shape, keeping its words as they were', async () => {
    const v1 = readFileSync(fileURLToPath(new URL('../../fixtures/golden/report.v1.ndjson', import.meta.url)), 'utf8');
    const { results, problems } = await read(v1);
    expect(problems).toEqual([]);
    const today = sampleItems();
    expect(results.map((r) => r.schema)).toEqual(today.map(() => SCHEMA_VERSION));
    // Everything but the recommendation's wording is what today's version writes.
    const strip = ({ policy: { summary: _s, reasons: _r, warnings: _w, ...policy }, ...rest }: SavedResult) => ({ ...rest, policy });
    expect(results.map(strip)).toEqual(today.map(({ result, rec }) => strip(JSON.parse(ndjsonLine(result, rec)) as SavedResult)));
    // The words are today's words for the same facts.
    expect(results.map((r) => words(r.policy))).toEqual(today.map(({ rec }) => words(rec)));
    expect(results[0]!.policy.summary).toEqual({ code: 'saved-words', text: '2/2 MX addresses verified (mx1.example.com TLSv1.3, TLS_AES_256_GCM_SHA384)' });
  });
});
