import pLimit from 'p-limit';
import type { AddressProbe, EarlierAttempt } from '../types.js';
import { KeyedSemaphore } from '../util/keyed-semaphore.js';
import type { PacingOptions } from './pacing.js';
import { loadProviders, providerOf } from './provider.js';
import { retryPauses, transientAnswer } from './retry.js';
import type { ProbeFn } from './scan-domain.js';

export interface ProbePoolOptions extends Partial<Pick<PacingOptions, 'perProvider' | 'retryDelays'>> {
  /** Probes (connections) in flight across all addresses. */
  concurrency: number;
  /** Probes in flight to one IP address, whatever its port. */
  perIp: number;
  /** Finished probes remembered for reuse; the oldest are forgotten past this. */
  cacheSize?: number;
  /** An aborted run retries nothing more: a probe waiting for its retry returns its answer. */
  signal?: AbortSignal;
}

export interface ProbePool {
  probe: ProbeFn;
  /** Probes actually started (cache misses and retries), for reports and the benchmark. */
  started(): number;
}

const DEFAULT_CACHE_SIZE = 20_000;

/**
 * Shares one probe per IP:port among every domain that uses it (10,000 customer domains on one
 * provider's MX hosts cost one probe per MX address), and paces probes: a probe first waits for
 * a slot of its IP, then of its provider (provider.ts: the addresses of mx1 and mx2.example.net
 * count together), then for a global slot. That order keeps a slow provider's queue from
 * holding global slots; the limiters are distinct, always taken in that order and never nested
 * in themselves, so they cannot deadlock. A transient answer (retry.ts) gives every slot back,
 * waits, and queues again: the domain waits for its address, the run for the domain.
 */
export function createProbePool(probe: ProbeFn, options: ProbePoolOptions): ProbePool {
  const global = pLimit(Math.max(1, options.concurrency));
  const perIp = new KeyedSemaphore(Math.max(1, options.perIp));
  const perProvider = options.perProvider === undefined ? undefined : new KeyedSemaphore(Math.max(1, options.perProvider));
  // Loaded while the run's first DNS lookups are out, rather than on the first probe.
  if (perProvider) void loadProviders();
  const retryDelays = options.retryDelays ?? [];
  const pause = retryPauses(options.signal);
  const cache = new Map<string, Promise<AddressProbe>>();
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  let started = 0;

  const attempt: ProbeFn = async (target) => {
    const provider = perProvider ? await providerOf(target.hostname) : undefined;
    await perIp.acquire(target.address);
    try {
      if (provider !== undefined) await perProvider!.acquire(provider);
      try {
        return await global(() => {
          started++;
          return probe(target);
        });
      } finally {
        if (provider !== undefined) perProvider!.release(provider);
      }
    } finally {
      perIp.release(target.address);
    }
  };

  const run: ProbeFn = async (target) => {
    const earlier: EarlierAttempt[] = [];
    for (let retry = 0; ; retry++) {
      const result = await attempt(target);
      const answer = transientAnswer(result);
      const delay = retryDelays[retry];
      if (answer && delay !== undefined && (await pause(delay))) {
        earlier.push({ startedAt: result.startedAt, ...answer });
        continue;
      }
      return earlier.length > 0 ? { ...result, earlierAttempts: earlier } : result;
    }
  };

  return {
    started: () => started,
    probe: (target) => {
      const key = `${target.address}|${target.port ?? ''}${target.sentChain ? '|sent-chain' : ''}`;
      const hit = cache.get(key);
      if (hit) {
        // Refresh its place: the most recently used entries survive eviction.
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const pending = run(target);
      cache.set(key, pending);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
      return pending;
    },
  };
}
