// Mail log files (or stdin for "-") → lines, one at a time: logs run to gigabytes, so nothing is
// read whole. Rotated logs are often gzipped, and not always named .gz (or piped in), so gzip is
// recognised by its magic bytes; other compressors are refused rather than read as garbage.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const GZIP = Buffer.from([0x1f, 0x8b]);
const OTHER_COMPRESSION: ReadonlyArray<[string, Buffer]> = [
  ['bzip2', Buffer.from('BZh')],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
];
/** Enough bytes to tell every format above apart. */
const SNIFF = 6;

/** Yields the stream's bytes again, gunzipped when they start with the gzip magic. */
async function decoded(input: AsyncIterable<Buffer>, name: string): Promise<Readable> {
  const iterator = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < SNIFF && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      head.push(next.value);
      length += next.value.length;
    }
  }
  const start = Buffer.concat(head);
  for (const [format, magic] of OTHER_COMPRESSION) {
    if (start.subarray(0, magic.length).equals(magic)) throw new Error(`${name}: ${format}-compressed; decompress it and pipe it in with "-"`);
  }

  async function* replay(): AsyncGenerator<Buffer> {
    if (start.length > 0) yield start;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const raw = Readable.from(replay(), { objectMode: false });
  if (!start.subarray(0, GZIP.length).equals(GZIP)) return raw;
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

/**
 * The lines of each log in turn ("-" is stdin). Errors (missing file, corrupt gzip) are thrown
 * with the file's name.
 */
export async function* readLogLines(paths: readonly string[], stdin: Readable = process.stdin): AsyncGenerator<string> {
  for (const path of paths) {
    const name = path === '-' ? 'stdin' : path;
    try {
      const source: AsyncIterable<Buffer> = path === '-' ? stdin : createReadStream(path);
      const lines = createInterface({ input: await decoded(source, name), crlfDelay: Infinity });
      for await (const line of lines) yield line;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(message.startsWith(`${name}:`) ? message : `${name}: ${message}`, { cause: err });
    }
  }
}
