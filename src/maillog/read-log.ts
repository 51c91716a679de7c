// Mail log files (or stdin for "-") → lines, one at a time: logs run to gigabytes, so nothing is
// read whole. Rotated logs are often gzipped (util/decoded-stream.ts reads them whatever their name).

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { decodedStream } from '../util/decoded-stream.js';

/**
 * The lines of each log in turn ("-" is stdin). Errors (missing file, corrupt gzip) are thrown
 * with the file's name.
 */
export async function* readLogLines(paths: readonly string[], stdin: Readable = process.stdin): AsyncGenerator<string> {
  for (const path of paths) {
    const name = path === '-' ? 'stdin' : path;
    try {
      const source: AsyncIterable<Buffer> = path === '-' ? stdin : createReadStream(path);
      const lines = createInterface({ input: await decodedStream(source, name), crlfDelay: Infinity });
      for await (const line of lines) yield line;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(message.startsWith(`${name}:`) ? message : `${name}: ${message}`, { cause: err });
    }
  }
}
