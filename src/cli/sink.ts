import { once } from 'node:events';
import { createAtomicWriter } from '../output/atomic-file.js';

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
    return { write: async (text) => file.write(text), commit: () => file.commit(), abort: () => file.abort() };
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
