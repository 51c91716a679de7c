import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogLines } from '../../src/maillog/read-log.js';

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('readLogLines', () => {
  let dir: string;
  const path = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mxtls-maillog-'));
    await writeFile(path('mail.log'), 'one\r\ntwo\nthree');
    await writeFile(path('mail.log.2.gz'), gzipSync('old 1\nold 2\n'));
    // logrotate's "nocompress ... compresscmd" setups and copies do not always keep the suffix.
    await writeFile(path('mail.log.1'), Buffer.concat([gzipSync('member 1\n'), gzipSync('member 2\n')]));
    await writeFile(path('empty.log'), '');
    await writeFile(path('mail.log.3.bz2'), Buffer.from('BZh91AY&SY'));
    await writeFile(path('truncated.gz'), gzipSync('x'.repeat(100_000) + '\n').subarray(0, 40));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads plain and gzipped files in the order given, gzip told by its magic bytes', async () => {
    expect(await collect(readLogLines([path('mail.log.2.gz'), path('mail.log.1'), path('empty.log'), path('mail.log')]))).toEqual([
      'old 1',
      'old 2',
      'member 1',
      'member 2',
      'one',
      'two',
      'three',
    ]);
  });

  it('reads stdin for "-", gzipped too', async () => {
    const stdin = Readable.from([gzipSync('from stdin\n')]);
    expect(await collect(readLogLines(['-'], stdin))).toEqual(['from stdin']);
  });

  it('yields each line as it arrives instead of waiting for the whole input', async () => {
    const stdin = new PassThrough();
    const lines = readLogLines(['-'], stdin);
    stdin.write('Nov 21 02:00:00 first line\n');
    // The stream is still open: a reader that wanted it all would never return this line.
    expect(await lines.next()).toEqual({ done: false, value: 'Nov 21 02:00:00 first line' });
    stdin.end('second line\n');
    expect(await collect(lines)).toEqual(['second line']);
  });

  it.each([
    ['missing.log', /missing\.log: ENOENT/],
    ['mail.log.3.bz2', /mail\.log\.3\.bz2: bzip2-compressed/],
    ['truncated.gz', /truncated\.gz: unexpected end of file/],
  ])('%s: fails with the file name in the error', async (name, error) => {
    await expect(collect(readLogLines([path(name)]))).rejects.toThrow(error);
  });
});
