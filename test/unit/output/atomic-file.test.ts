import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAtomicWriter, writeFileAtomic } from '../../../src/output/atomic-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mxtls-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file behind', async () => {
    const target = join(dir, 'tls_policy');
    await writeFile(target, 'old\n');
    await writeFileAtomic(target, 'new\n');
    expect(await readFile(target, 'utf8')).toBe('new\n');
    expect(await readdir(dir)).toEqual(['tls_policy']);
  });

  it('removes the temporary file and keeps the old one when the rename fails', async () => {
    // Renaming a file over a non-empty directory fails: the target stays as it was.
    const target = join(dir, 'busy');
    await writeFile(join(dir, 'keep'), 'x');
    await mkdir(target);
    await writeFile(join(target, 'inside'), 'x');
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['busy', 'keep']);
  });

  it('fails without creating anything when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'f'), 'data')).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('createAtomicWriter', () => {
  it('writes chunks to a hidden temporary file until commit', async () => {
    const target = join(dir, 'out.ndjson');
    await writeFile(target, 'previous run\n');
    const writer = await createAtomicWriter(target);
    // Not awaited, as a streaming caller does: the writer keeps the order.
    for (let i = 0; i < 50; i++) writer.write(`{"n":${i}}\n`);
    writer.write(Buffer.from('{"b":2}\n'));
    expect(await readFile(target, 'utf8')).toBe('previous run\n');
    await writer.commit();
    const expected = Array.from({ length: 50 }, (_, i) => `{"n":${i}}\n`).join('') + '{"b":2}\n';
    expect(await readFile(target, 'utf8')).toBe(expected);
    expect(await readdir(dir)).toEqual(['out.ndjson']);
    expect(() => writer.write('late')).toThrow(/already committed/);
  });

  it('abort removes the temporary file and leaves the target untouched', async () => {
    const target = join(dir, 'out.ndjson');
    await writeFile(target, 'previous run\n');
    const writer = await createAtomicWriter(target);
    writer.write('half');
    await writer.abort();
    await writer.abort();
    expect(await readFile(target, 'utf8')).toBe('previous run\n');
    expect(await readdir(dir)).toEqual(['out.ndjson']);
    await expect(writer.commit()).rejects.toThrow(/already aborted/);
  });

  it('a failed write makes commit reject, removes the temporary file and keeps the target', async () => {
    const target = join(dir, 'out.ndjson');
    await writeFile(target, 'previous run\n');
    const writer = await createAtomicWriter(target);
    // A non-string, non-buffer chunk makes writeFile reject, as a full disk would.
    writer.write(42 as unknown as string);
    writer.write('after the failure\n');
    await expect(writer.commit()).rejects.toThrow();
    expect(await readFile(target, 'utf8')).toBe('previous run\n');
    expect(await readdir(dir)).toEqual(['out.ndjson']);
  });

  it('gives concurrent writers to one target different temporary files', async () => {
    const target = join(dir, 'f');
    const [a, b] = await Promise.all([createAtomicWriter(target), createAtomicWriter(target)]);
    expect(a.tempPath).not.toBe(b.tempPath);
    await a.abort();
    await b.abort();
  });
});
