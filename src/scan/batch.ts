import pLimit from 'p-limit';
import type { DomainResult } from '../types.js';
import { HashedStringSet } from '../util/hash-set.js';
import { internalErrorOf, internalErrorResult } from './internal-error.js';
import { scanDomain, type ScanDeps, type ScanTarget } from './scan-domain.js';

export type BatchEntry = ScanTarget;

export interface BatchOptions {
  /** Domains scanned at once. */
  concurrency: number;
  /** Stops scheduling new domains; those in flight finish within their timeouts, those
   *  still queued are dropped (a resumed run scans them). */
  signal?: AbortSignal;
  /** Domains already done (a resumed run): not scanned again. */
  skip?: Pick<ReadonlySet<string>, 'has'>;
}

/**
 * Scans a stream of domains with bounded concurrency and yields each result as soon as it is
 * finished (completion order, not input order). Input is pulled only while fewer than twice
 * `concurrency` domains are waiting, so a million-line list is never held in memory.
 * A domain that appears twice is scanned once.
 */
export async function* scanBatch(
  entries: AsyncIterable<BatchEntry> | Iterable<BatchEntry>,
  deps: ScanDeps,
  options: BatchOptions,
): AsyncGenerator<DomainResult> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const window = Math.max(1, options.concurrency) * 2;
  const finished: DomainResult[] = [];
  // Every domain of the run, 8 bytes each (a Set of a million names held 73 MB).
  const seen = new HashedStringSet();
  /** Domains being scanned or waiting to be taken by the consumer. */
  let inFlight = 0;
  let inputDone = false;
  let inputError: unknown;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;

  const notifyConsumer = () => {
    wakeConsumer?.();
    wakeConsumer = undefined;
  };

  const release = () => {
    inFlight--;
    wakeProducer?.();
    wakeProducer = undefined;
  };

  const produce = async () => {
    try {
      for await (const entry of entries) {
        if (options.signal?.aborted) break;
        if (options.skip?.has(entry.domain) || !seen.add(entry.domain)) continue;
        // A domain counts against the window until the consumer has taken its result, so a
        // slow consumer (a disk, a pipe) holds the scan back instead of piling up results.
        while (inFlight >= window) await new Promise<void>((r) => (wakeProducer = r));
        inFlight++;
        const started = Date.now();
        // scanDomain never rejects; should a bug make it, the domain still ends as its own
        // internal-error result instead of stalling or killing the batch.
        void limit(() =>
          options.signal?.aborted ? undefined : scanDomain(entry, deps).catch((err: unknown) => internalErrorResult(entry, internalErrorOf(err), started)),
        ).then((result) => {
          if (result) finished.push(result);
          else release();
          notifyConsumer();
        });
      }
    } catch (err) {
      inputError = err;
    } finally {
      inputDone = true;
      notifyConsumer();
    }
  };

  void produce();
  for (;;) {
    while (finished.length > 0) {
      const result = finished.shift()!;
      release();
      yield result;
    }
    if (inputDone && inFlight === 0) break;
    await new Promise<void>((r) => (wakeConsumer = r));
  }
  if (inputError !== undefined) throw inputError;
}

