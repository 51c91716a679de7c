// One run of mxtls, in the library: domains in, one { result, recommendation, changes } per
// domain out, and observers told what happens (ARCHITECTURE.md, "The run"). The CLI, the
// library's scanDomains and `mxtls policy` are all uses of it: renderers, the output file, the
// progress line and the exit code watch a run; none of them drives the scan. Model: sslyze's
// Scanner yields results and ScannerObserver instances watch it.
import type { Change, DiffSession } from '../diff/index.js';
import { carryOver } from '../policy/carry-over.js';
import { recommendPolicy } from '../policy/recommend.js';
import { scanBatch, type BatchEntry } from '../scan/batch.js';
import type { ScanDeps } from '../scan/scan-domain.js';
import type { DomainResult, PolicyOptions, PolicyRecommendation, PreviousLine } from '../types.js';
import { setImmediate } from 'node:timers/promises';
import { startHeapTrim } from './heap-trim.js';

/** What a run yields for each domain, and what observers are told. */
export interface RunItem {
  result: DomainResult;
  /** After carry-over from the previous run's line (RunOptions.previous), when that applied. */
  recommendation: PolicyRecommendation;
  /** Changes against the earlier run (RunOptions.diff); empty without one. */
  changes: Change[];
  /** Taken from an interrupted run's file (RunOptions.resume), not scanned again. */
  resumed: boolean;
}

export interface RunSummary {
  domains: number;
  /** Domains without a conclusion: no line, nothing carried over. */
  unknown: number;
  /** Domains where mxtls hit a bug of its own (status 'internal-error'). */
  internalErrors: number;
  /** The signal stopped the run: domains still queued were not scanned. */
  interrupted: boolean;
  /** With a diff: how many of the earlier run's domains this run did not cover (none when
   *  interrupted); observers were told each one (RunObserver.gone). */
  gone: number;
  /** With a diff: some change is a regression (a level down, STARTTLS lost...). */
  regression: boolean;
}

/** Watches a run. Every method is optional; a returned promise is awaited before the run goes on. */
export interface RunObserver {
  /** One input entry was read (resumed results count as read too). */
  entryRead?(): void;
  /** The whole input has been read; the total is known. */
  inputFinished?(): void;
  domainDone?(item: RunItem): void | Promise<void>;
  /** With a diff, after the last domain: one of the earlier run's domains that this run did not
   *  cover. Told one at a time, never collected: a list can lose a million domains. */
  gone?(change: Change): void | Promise<void>;
  finished?(summary: RunSummary): void | Promise<void>;
}

export interface RunOptions {
  /** Recommendation options (--partial, --mixed). */
  policy?: Partial<PolicyOptions>;
  /** The earlier run's lines: an inconclusive domain keeps its line, marked (--previous). */
  previous?: { get(domain: string): PreviousLine | undefined };
  /** The comparison with an earlier run (--diff); the run feeds it every domain. */
  diff?: DiffSession;
  observers?: readonly RunObserver[];
}

export interface ScanRunOptions extends RunOptions {
  /** The network (or its stand-ins): resolver, prober, declarations. */
  deps: ScanDeps;
  /** Domains scanned at once. */
  concurrency: number;
  /** Stops scheduling new domains; those in flight finish. */
  signal?: AbortSignal;
  /** An interrupted run's results: replayed first, and their domains not scanned again. */
  resume?: { results: AsyncIterable<DomainResult>; domains: Pick<ReadonlySet<string>, 'has'> };
  /**
   * Keep the heap near its live size during a long run (heap-trim.ts). It forces collections
   * process-wide, so it is for runs that own their process (the CLI with a domain list).
   */
  trimHeap?: boolean;
}

/**
 * Gone domains told between two turns of the event loop. Telling them needs no I/O (unless the
 * output is --format diff), so a million of them would otherwise run as one chain of microtasks
 * for seconds, with no timer firing: not the heap trim, and not V8's own tasks that finish a
 * collection. Measured on a 1M-line previous run (Node 20): in some runs the old generation then
 * grew by ~180 bytes per gone domain, 300 -> 477 MB RSS.
 */
const GONE_PER_TURN = 1000;

interface Source {
  result: DomainResult;
  resumed: boolean;
}

/**
 * Scans `entries` (an async iterable: a million-line list streams) and yields each domain as it
 * finishes, in completion order. Returns the summary; observers see the same.
 */
export async function* scanRun(entries: AsyncIterable<BatchEntry> | Iterable<BatchEntry>, options: ScanRunOptions): AsyncGenerator<RunItem, RunSummary> {
  const observers = options.observers ?? [];
  const stopTrim = options.trimHeap ? startHeapTrim() : undefined;
  try {
    return yield* finish(sources(entries, options, observers), options, () => options.signal?.aborted === true);
  } finally {
    stopTrim?.();
  }
}

/** Replays saved results as a run (`mxtls policy`): recommended, carried over, diffed, observed. */
export async function* replayRun(results: AsyncIterable<DomainResult>, options: RunOptions): AsyncGenerator<RunItem, RunSummary> {
  async function* replayed(): AsyncGenerator<Source> {
    for await (const result of results) {
      for (const o of options.observers ?? []) o.entryRead?.();
      yield { result, resumed: false };
    }
    for (const o of options.observers ?? []) o.inputFinished?.();
  }
  return yield* finish(replayed(), options, () => false);
}

async function* sources(entries: AsyncIterable<BatchEntry> | Iterable<BatchEntry>, options: ScanRunOptions, observers: readonly RunObserver[]): AsyncGenerator<Source> {
  if (options.resume) {
    for await (const result of options.resume.results) {
      for (const o of observers) o.entryRead?.();
      yield { result, resumed: true };
    }
  }
  async function* counted(): AsyncGenerator<BatchEntry> {
    for await (const entry of entries) {
      for (const o of observers) o.entryRead?.();
      yield entry;
    }
    for (const o of observers) o.inputFinished?.();
  }
  const batch = {
    concurrency: options.concurrency,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.resume ? { skip: options.resume.domains } : {}),
  };
  for await (const result of scanBatch(counted(), options.deps, batch)) yield { result, resumed: false };
}

async function* finish(source: AsyncIterable<Source>, options: RunOptions, interrupted: () => boolean): AsyncGenerator<RunItem, RunSummary> {
  const observers = options.observers ?? [];
  const summary: RunSummary = { domains: 0, unknown: 0, internalErrors: 0, interrupted: false, gone: 0, regression: false };
  for await (const { result, resumed } of source) {
    const recommendation = carryOver(recommendPolicy(result, options.policy), options.previous?.get(result.domain));
    const changes = options.diff?.domain(result, recommendation) ?? [];
    summary.domains++;
    if (recommendation.kind === 'unknown') summary.unknown++;
    if (result.status === 'internal-error') summary.internalErrors++;
    const item: RunItem = { result, recommendation, changes, resumed };
    for (const o of observers) await o.domainDone?.(item);
    yield item;
  }
  summary.interrupted = interrupted();
  // An interrupted run did not see every domain: none of the rest is "gone".
  if (options.diff && !summary.interrupted) {
    for (const change of options.diff.gone()) {
      summary.gone++;
      for (const o of observers) await o.gone?.(change);
      if (summary.gone % GONE_PER_TURN === 0) await setImmediate();
    }
  }
  summary.regression = options.diff?.hasRegression() ?? false;
  for (const o of observers) await o.finished?.(summary);
  return summary;
}

/** Runs a run to its end when its observers do all the work; returns its summary. */
export async function runToEnd(run: AsyncGenerator<RunItem, RunSummary>): Promise<RunSummary> {
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
  }
}
