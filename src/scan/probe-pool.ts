import pLimit from 'p-limit';
import type { AddressProbe } from '../types.js';
import { KeyedSemaphore } from '../util/keyed-semaphore.js';
import type { ProbeFn } from './scan-domain.js';

export interface ProbePoolOptions {
  /** Probes (connections) in flight across all addresses. */
  concurrency: number;
  /** Probes in flight to one IP address, whatever its port. */
  perIp: number;
  /** Finished probes remembered for reuse; the oldest are forgotten past this. */
  cacheSize?: number;
}

export interface ProbePool {
  probe: ProbeFn;
  /** Probes actually started (cache misses), for reports and the benchmark. */
  started(): number;
}

const DEFAULT_CACHE_SIZE = 20_000;

/**
 * Shares one probe per IP:port among every domain that uses it (10,000 customer domains on one
 * provider's MX hosts cost one probe per MX address), and paces probes: a probe first waits for
 * a slot of its IP, then for a global slot. That order keeps a slow provider's queue from
 * holding global slots, and the two limiters are distinct, never nested in themselves.
 */
export function createProbePool(probe: ProbeFn, options: ProbePoolOptions): ProbePool {
  const global = pLimit(Math.max(1, options.concurrency));
  const perIp = new KeyedSemaphore(Math.max(1, options.perIp));
  const cache = new Map<string, Promise<AddressProbe>>();
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  let started = 0;

  const run: ProbeFn = async (target) => {
    await perIp.acquire(target.address);
    try {
      return await global(() => {
        started++;
        return probe(target);
      });
    } finally {
      perIp.release(target.address);
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
