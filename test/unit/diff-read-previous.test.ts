import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPrevious, PreviousRunError, type BadLine } from '../../src/diff/read-previous.js';
import { toSnapshot } from '../../src/diff/snapshot.js';
import { renderJson } from '../../src/output/json.js';
import { ndjsonLine } from '../../src/output/ndjson.js';
import { inDays, mxHost, scan } from '../helpers/diff-fixtures.js';
import { sampleItems } from '../helpers/output-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxtls-diff-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const sampleLines = (): string[] => sampleItems().map(({ result, rec }) => ndjsonLine(result, rec));

describe('readPrevious', () => {
  it('reads every domain of fixtures/golden/report.ndjson', async () => {
    const run = await readPrevious(fileURLToPath(new URL('../../fixtures/golden/report.ndjson', import.meta.url)));
    expect([...run.snapshots.keys()].sort()).toEqual(sampleItems().map((i) => i.rec.domain).sort());
    expect(run).toMatchObject({ lines: 5, badLines: 0 });
  });

  it('skips and reports bad lines, blank lines are neither', async () => {
    const [a = '', b = '', c = ''] = sampleLines();
    const text = `\uFEFF${a}not json\r\n\n{"schema":2}\n${b.trimEnd()}\r\n   \n${c.slice(0, 40)}\n`;
    const bad: BadLine[] = [];
    const run = await readPrevious(await file('bad-lines.ndjson', text), { onBadLine: (l) => bad.push(l) });
    expect([...run.snapshots.keys()]).toEqual(['example.com', 'example.io']);
    expect(run).toMatchObject({ lines: 5, badLines: 3 });
    expect(bad).toEqual([
      { line: 2, error: 'not JSON' },
      { line: 4, error: "/: must have required property 'domain'" },
      { line: 7, error: 'not JSON' },
    ]);
    const [first] = sampleItems();
    expect(run.snapshots.get('example.com')).toEqual(toSnapshot(first!.result, first!.rec));
  });

  it('refuses results of another schema, naming the line', async () => {
    const [a = '', b = ''] = sampleLines();
    const path = await file('schema99.ndjson', `${a}${b.replace(/"schema":\d+/, '"schema":99')}`);
    const error = await readPrevious(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreviousRunError);
    expect((error as Error).message).toBe(`${path}:2: results of schema 99, this mxtls reads schema 1, 2, 3; compare with a run made by this version`);
  });

  it('refuses a file with no usable line, which would make every domain look new', async () => {
    const path = await file('report.json', renderJson({ version: '1', generatedAt: inDays(0) }, sampleItems()));
    await expect(readPrevious(path)).rejects.toThrow(/none of its \d+ lines is a domain result/);
  });

  it('accepts an empty file: a previous run of no domains', async () => {
    const run = await readPrevious(await file('empty.ndjson', '\n'));
    expect(run).toMatchObject({ lines: 0, badLines: 0 });
    expect(run.snapshots.size).toBe(0);
  });

  it('rejects with the file system error when the file is missing', async () => {
    await expect(readPrevious(join(dir, 'missing.ndjson'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps the later scan of a domain listed twice, whatever the order', async () => {
    const later = scan('example.com', [mxHost('mx.example.com', ['verified'])], { level: 'verify' }, inDays(0));
    const earlier = scan('example.com', [mxHost('mx.example.com', ['no-starttls'])], { level: 'may' }, inDays(-1));
    const path = await file('twice.ndjson', ndjsonLine(later.result, later.rec) + ndjsonLine(earlier.result, earlier.rec));
    const run = await readPrevious(path);
    expect(run.snapshots.get('example.com')?.level).toBe('verify');
  });

  it('keeps one copy of a host shared by many domains', async () => {
    const lines = ['a.example', 'b.example'].map((d) => {
      const s = scan(d, [mxHost('mx.provider.example', ['verified'])], { level: 'verify' });
      return ndjsonLine(s.result, s.rec);
    });
    const run = await readPrevious(await file('shared.ndjson', lines.join('')));
    expect(run.snapshots.get('a.example')?.hosts[0]).toBe(run.snapshots.get('b.example')?.hosts[0]);
  });
});
