import type { DnsAnswer, Resolver } from '../types.js';

const DEFAULT_SIZE = 20_000;

/** Failures worth asking again: another domain's lookup a moment later may well succeed. */
const TRANSIENT = new Set<DnsAnswer<unknown>['status']>(['timeout', 'error']);

/**
 * Remembers address (and TLSA) answers for the run, so the MX hosts that thousands of customer domains
 * share are resolved once. Questions in flight are shared too. Transient failures are not
 * kept. MX answers are not cached: each domain is asked once per run anyway, and keeping a
 * million of them would only cost memory.
 */
export function cachedResolver(inner: Resolver, size: number = DEFAULT_SIZE): Resolver {
  const cache = new Map<string, Promise<DnsAnswer<unknown>>>();

  function ask<T>(type: string, name: string, lookup: (n: string) => Promise<DnsAnswer<T>>): Promise<DnsAnswer<T>> {
    const key = `${type} ${name}`;
    const hit = cache.get(key);
    if (hit) return hit as Promise<DnsAnswer<T>>;
    const pending = lookup(name);
    cache.set(key, pending);
    if (cache.size > size) cache.delete(cache.keys().next().value as string);
    void pending.then(
      (answer) => {
        if (TRANSIENT.has(answer.status) && cache.get(key) === pending) cache.delete(key);
      },
      () => cache.delete(key),
    );
    return pending;
  }

  return {
    mx: (name) => inner.mx(name),
    a: (name) => ask('A', name, (n) => inner.a(n)),
    aaaa: (name) => ask('AAAA', name, (n) => inner.aaaa(n)),
    ...(inner.txt ? { txt: inner.txt.bind(inner) } : {}),
    // Per MX host, like the addresses: shared by every domain that uses the host.
    ...(inner.tlsa ? { tlsa: (name: string) => ask('TLSA', name, (n) => inner.tlsa!(n)) } : {}),
  };
}
