import { once } from 'node:events';
import { createAtomicWriter } from '../output/atomic-file.js';

const WRITE_BEHIND_BYTES = 1 << 20;
/** Lines for a file are handed to the disk in chunks of about this size: one write per domain
 *  measured as a few percent of a scan's CPU time, and nobody reads the file before commit. */
const FILE_CHUNK_BYTES = 64 * 1024;

/** Where a command's data goes: stdout, or a file replaced atomically at the end. */
export interface Sink {
  write(text: string): Promise<void>;
  /** The run finished (or was interrupted cleanly): make the output final. */
  commit(): Promise<void>;
  /** The run failed: leave any existing output file untouched. */
  abort(): Promise<void>;
}

export async function openSink(outputPath: string | undefined): Promise<Sink> {
  if (outputPath) {
    const file = await createAtomicWriter(outputPath);
    let chunk = '';
    let queued = 0;
    return {
      write: async (text) => {
        chunk += text;
        if (chunk.length < FILE_CHUNK_BYTES) return;
        file.write(chunk);
        queued += chunk.length;
        chunk = '';
        // Bound what waits in memory for the disk to about a megabyte.
        if (queued > WRITE_BEHIND_BYTES) {
          await file.drained();
          queued = 0;
        }
      },
      commit: () => {
        if (chunk !== '') file.write(chunk);
        chunk = '';
        return file.commit();
      },
      abort: () => file.abort(),
    };
  }
  return {
    // Wait for a slow reader (a pipe into postmap or gzip) instead of buffering a whole
    // batch's output in memory.
    write: async (text) => {
      if (text !== '' && !process.stdout.write(text)) await once(process.stdout, 'drain');
    },
    commit: async () => undefined,
    abort: async () => undefined,
  };
}
