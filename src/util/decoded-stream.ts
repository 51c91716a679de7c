// Files we read may be gzipped: rotated mail logs (not always named .gz, or piped in), and saved
// results written as `--output run.ndjson.gz` (output/atomic-file.ts compresses by name). So
// gzip is recognised by its magic bytes (RFC 1952 §2.3.1), whatever the name; other compressors
// are refused rather than read as garbage.

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

/** Yields the stream's bytes again, gunzipped when they start with the gzip magic. A file of
 *  several gzip members (one per chunk written) is read whole: Node's gunzip reads them all. */
export async function decodedStream(input: AsyncIterable<Buffer>, name: string): Promise<Readable> {
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
    if (start.subarray(0, magic.length).equals(magic)) throw new Error(`${name}: ${format}-compressed; decompress it first (gzip is read as it is)`);
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
