// Splitting one domain list over N machines (issue 16 item 6) under a batch runner that already
// exists (a Kubernetes Indexed Job, GNU parallel --sshlogin): each machine runs
// `mxtls scan --shard K/N` over the whole list and keeps only its part. No coordinator: a
// domain's shard depends on nothing but its name, so every machine, every Node version and
// every night agree on it.
//
// The rule: shard = (first 8 bytes of SHA-256(policy key, UTF-8), as a big-endian unsigned
// 64-bit number) mod N, plus 1. The policy key is the normalised input (input/normalize.ts:
// A-label, lower case, no trailing dot; a next hop as written, e.g. "[mx.example.com]:587").
// SHA-256 rather than a faster non-cryptographic hash: node:crypto gives the same bytes on every
// platform and version with no dependency, and its output is evenly spread, so mod N is fair.

import { createHash } from 'node:crypto';

/** Shard K (1-based) of N. */
export interface Shard {
  index: number;
  count: number;
}

/** The shard (1..count) a normalised domain belongs to. */
export function shardOf(domain: string, count: number): number {
  const digest = createHash('sha256').update(domain, 'utf8').digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count)) + 1;
}

/** "K/N" with 1 <= K <= N, as `--shard` takes it (K = JOB_COMPLETION_INDEX + 1 under Kubernetes). */
export function parseShard(text: string): Shard {
  const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(count) || index > count) {
    throw new Error(`--shard must be K/N with 1 <= K <= N (got ${JSON.stringify(text)})`);
  }
  return { index, count };
}

/** Only the entries of `shard`, in their order; every entry when `shard` is undefined. */
export async function* inShard<T extends { domain: string }>(entries: AsyncIterable<T> | Iterable<T>, shard: Shard | undefined): AsyncGenerator<T> {
  for await (const entry of entries) if (!shard || shardOf(entry.domain, shard.count) === shard.index) yield entry;
}
