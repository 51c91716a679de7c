// Output files are replaced atomically (POLICY.md): a temporary file in the same directory
// (rename is atomic only within one file system), written, fsynced, then renamed over the
// target. A failed or interrupted run leaves the old file in place, never half of a new one.
//
// A file named *.gz is written gzipped, as a postmaster naming it so expects (a nightly run's
// NDJSON over a million domains is gigabytes, a tenth of that gzipped: issue 16). Each chunk
// becomes one gzip member, compressed on libuv's thread pool while the run goes on; a file of
// several members is one gzip file (RFC 1952 §2.2), read whole by gunzip and by our readers
// (util/decoded-stream.ts). Chunks are tens of kilobytes, so restarting the 32 KB window costs
// little.

import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { describeFsError } from '../util/fs-error.js';

export interface AtomicOptions {
  /** File mode for a new file (before the umask); default 0o666 like any created file. */
  mode?: number;
  /** Write gzipped; default: when the name ends in `.gz`. */
  gzip?: boolean;
}

const gzipped = promisify(gzip);

/** An open temporary file: write chunks, then commit() to replace the target, or abort(). */
export interface AtomicWriter {
  readonly path: string;
  readonly tempPath: string;
  /**
   * Queue a chunk. Writes run one after another in call order, so a caller streaming a
   * batch need not await each one; a failed write makes commit() reject (and clean up).
   * A Uint8Array is written later, so it must not change until commit().
   */
  write(chunk: string | Uint8Array): void;
  /** Resolves when every chunk queued so far is written: lets a fast producer wait for the disk. */
  drained(): Promise<void>;
  /** Finish the queued writes, fsync, close, rename over `path`. On failure the temporary
   *  file is removed and the target is untouched. */
  commit(): Promise<void>;
  /** Close and remove the temporary file; the target is untouched. Safe to call twice. */
  abort(): Promise<void>;
}

export function tempPathFor(path: string): string {
  // Hidden, unique per process and call, so concurrent runs never share a temporary file.
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Make the rename itself durable. Some file systems refuse fsync on a directory: the data is
 *  already safe then, only the rename may be replayed after a crash, so that is not fatal. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // See above: best effort only.
  } finally {
    await handle?.close();
  }
}

export async function createAtomicWriter(path: string, options: AtomicOptions = {}): Promise<AtomicWriter> {
  const tempPath = tempPathFor(path);
  // 'wx': fail rather than write through an existing file or symlink at the temporary name.
  const handle = await open(tempPath, 'wx', options.mode ?? 0o666).catch((err: unknown) => {
    // Name the file the user asked for, not our temporary one beside it.
    throw Object.assign(new Error(`cannot write ${path}: ${describeFsError(err)}`), { code: (err as NodeJS.ErrnoException).code });
  });
  const compress = options.gzip ?? path.endsWith('.gz');
  let state: 'open' | 'committed' | 'aborted' = 'open';
  let queue: Promise<void> = Promise.resolve();
  let writeError: unknown;

  const discard = async (): Promise<void> => {
    await queue;
    await handle.close().catch(() => undefined);
    await rm(tempPath, { force: true });
  };

  return {
    path,
    tempPath,
    write(chunk) {
      if (state !== 'open') throw new Error(`atomic write to ${path}: already ${state}`);
      // Compressed from now, written in turn; its failure is taken up by the write below.
      const data = compress ? gzipped(chunk) : chunk;
      if (data instanceof Promise) data.catch(() => undefined);
      // writeFile on a handle writes at the current position and loops until every byte is
      // out (a bare write() may stop short). After a failure, later chunks are skipped.
      queue = queue.then(async () => {
        if (writeError !== undefined) return;
        try {
          await handle.writeFile(await data);
        } catch (error) {
          writeError = error;
        }
      });
    },
    drained: () => queue,
    async commit() {
      if (state !== 'open') throw new Error(`atomic write to ${path}: already ${state}`);
      state = 'committed';
      try {
        await queue;
        if (writeError !== undefined) throw writeError;
        await handle.sync();
        await handle.close();
        await rename(tempPath, path);
      } catch (error) {
        state = 'aborted';
        await discard();
        throw error;
      }
      await syncDirectory(dirname(path));
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await discard();
    },
  };
}

/** Replace `path` with `data` in one step. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicOptions = {}): Promise<void> {
  const writer = await createAtomicWriter(path, options);
  writer.write(data);
  await writer.commit();
}
