// The public library API. Everything a CLI user can do is reachable from here.
import { normalizeInput, toTarget } from './input/normalize.js';
import type { BatchEntry } from './scan/batch.js';
import { replayRun, runToEnd, scanRun, type RunItem, type RunObserver, type RunOptions, type RunSummary, type ScanRunOptions } from './run/run.js';
import { scanDomain as scanWithDeps, type ScanDeps } from './scan/scan-domain.js';
import { DEFAULT_PACING, DOMAINS_PER_PROBE_SLOT } from './scan/pacing.js';
import { createScanDeps, resolveScanOptions, type ScanOptions } from './scan/scanner.js';
import type { DomainResult } from './types.js';

export * from './types.js';
export { recommendPolicy, DEFAULT_POLICY_OPTIONS } from './policy/recommend.js';
export { normalizeInput } from './input/normalize.js';
export { isHostName } from './name/host-name.js';
export { inShard, parseShard, shardOf, type Shard } from './input/shard.js';
export { mergeRuns, type MergeDuplicate, type MergeHooks, type MergeSummary } from './output/merge-runs.js';
export { createResolver } from './dns/client.js';
export { parseResolverAddress } from './dns/resolver-address.js';
export { resolveMx } from './dns/mx.js';
export { probeAddress } from './probe/probe-address.js';
export { loadTrustStore } from './tls/trust.js';
export { createRenderer, type OutputFormat } from './output/index.js';
export { parseLogLine } from './maillog/parse-line.js';
export { createMailLogAggregator } from './maillog/aggregate.js';
export { readLogLines } from './maillog/read-log.js';
export { compareDomain, DiffSession, goneDomains, readPrevious, renderDiffText, toSnapshot, type Change, type DomainSnapshot } from './diff/index.js';
export { replayRun, runToEnd, scanRun };
export { createScanDeps, resolveScanOptions };
export type { RunItem, RunObserver, RunOptions, RunSummary, ScanRunOptions };
export { carryOver } from './policy/carry-over.js';
export { reasonLines, reasonText, summaryText, warningText } from './output/reason-text.js';
export { RunMetrics, type RunMetricsOptions, type RunEnd } from './metrics/run-metrics.js';
export { installPolicyMap, type InstallOptions, type InstallOutcome } from './install/install-map.js';
export { parseDowngradeLimit, DEFAULT_MAX_DOWNGRADES, type DowngradeLimit } from './install/downgrade-limit.js';
export { MAP_TYPES, type MapType } from './install/map-types.js';
export type { ScanOptions, ScanDeps, BatchEntry };

export interface BatchScanOptions extends ScanOptions {
  /** Probes (SMTP connections) in flight at once; default DEFAULT_PACING.concurrency (256). */
  concurrency?: number;
  /** Probes in flight to one IP address; default 2. */
  perIp?: number;
  /** Probes in flight to one MX provider (the registered domain of the MX host); default 2. */
  perProvider?: number;
  /** Seconds before each retry of an address that answered 4xx; default [30, 120], [] for none. */
  retryDelays?: readonly number[];
  signal?: AbortSignal;
  /** Replace the network (resolver and prober), e.g. in tests. */
  deps?: ScanDeps;
  /** scanDomains skips invalid names and reports them here (default: ignore silently). */
  onInvalid?: (input: string, error: string) => void;
}

function toEntry(domain: string): BatchEntry {
  const entry = normalizeInput(domain);
  if (!entry?.ok) throw new Error(`not a valid domain: ${JSON.stringify(domain)}${entry && !entry.ok ? ` (${entry.error})` : ''}`);
  return toTarget(entry);
}

/** Scans one domain (or e-mail address). Rejects only for an invalid name. */
export async function scanDomain(domain: string, options: BatchScanOptions = {}): Promise<DomainResult> {
  const entry = toEntry(domain);
  if (options.deps) return scanWithDeps(entry, options.deps);
  const deps = createScanDeps(await resolveScanOptions(options));
  try {
    return await scanWithDeps(entry, deps);
  } finally {
    deps.close();
  }
}

/**
 * Scans many domains with bounded concurrency, yielding each domain's result, recommendation
 * and changes as it finishes: the CLI's run, with the same options. `observers` watch it.
 */
export async function* scanDomains(
  domains: Iterable<string> | AsyncIterable<string>,
  options: BatchScanOptions & Omit<RunOptions, 'diff'> = {},
): AsyncGenerator<RunItem, RunSummary> {
  const pacing = {
    concurrency: options.concurrency ?? DEFAULT_PACING.concurrency,
    perIp: options.perIp ?? DEFAULT_PACING.perIp,
    perProvider: options.perProvider ?? DEFAULT_PACING.perProvider,
    retryDelays: options.retryDelays ?? DEFAULT_PACING.retryDelays,
  };
  // Sockets and caches made here belong to this run alone and end with it.
  const own = options.deps ? undefined : createScanDeps(await resolveScanOptions(options), pacing, options.signal);
  const deps = options.deps ?? own!;
  async function* entries() {
    for await (const d of domains) {
      const entry = normalizeInput(d);
      if (entry?.ok) yield toTarget(entry);
      else if (entry) options.onInvalid?.(entry.input, entry.error);
    }
  }
  try {
    return yield* scanRun(entries(), {
      deps,
      concurrency: pacing.concurrency * DOMAINS_PER_PROBE_SLOT,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.previous ? { previous: options.previous } : {}),
      ...(options.observers ? { observers: options.observers } : {}),
    });
  } finally {
    own?.close();
  }
}
