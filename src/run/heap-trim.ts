import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Above this much heap in use, a long batch asks for a collection (a shared-MX batch keeps
 * ~12-16 MB live). Each forced collection costs ~25 ms at that size; at 24 MB one came every
 * second of a fast scan (3-4% of its CPU), at 48 MB one every 2-3 seconds, for ~18 MB more peak
 * RSS (measured on a 2,000-domain lab scan: 12.6 -> 12.1 s CPU, 120 -> 138 MB).
 */
const TRIM_FLOOR_BYTES = 48 * 1024 * 1024;
/**
 * The next collection waits until the heap has grown this much past what the last one left
 * live. A batch over distinct MX hosts keeps every probe result it may share (~4 KB each), so
 * 10,000 of them hold ~60 MB live: a fixed threshold below that forced a ~110 ms collection of
 * the whole heap every second, 10% of the scan's CPU. Growing with the live size keeps each
 * collection's cost in proportion to the garbage it frees, and the heap within 1.5x its live size.
 */
const GROWTH = 1.5;
/**
 * The growth allowed while a previous run is read (cli/previous-runs.ts): what stays live are
 * its snapshots (~60 MB of heap for a million domains), while its lines (whole ones in schema 1,
 * ~4.8 KB each) are parsed and dropped. 1.5 let a 1M-line schema-1 file peak at 279-306 MB RSS
 * on Node 20 against the 300 MB target (issue 16 item 4); 1.2 gave 270 and 271 MB, with the
 * run's CPU time within the noise of the same runs (40-47 s).
 */
export const READ_GROWTH = 1.2;
/**
 * V8's own limit for its old generation, as a growth over what its last full collection left
 * live (--heap-growing-percent; 0, V8's default, lets V8 choose, up to 4x while the program runs
 * undisturbed). A scan over shared MX hosts keeps ~12 MB live, and V8 let its old generation
 * reach 33-58 MB of garbage before collecting it, concurrently: the forced trim above seldom had
 * to act, and a 1M-domain scan peaked at 161 MB RSS against the 150 MB target (issue 16 item 4).
 * At 100%, on a 100,000-domain scan (by hand, others' jobs running): 143-146 -> 118-119 MB,
 * CPU 24.8-25.6 s -> 25.4-26.9 s; at 50%: 113-115 MB but 26.4-28.5 s.
 */
const SCAN_OLD_GENERATION_GROWTH_PERCENT = 100;

export interface HeapTrimOptions {
  /** nextTrimThreshold's growth over the live size. */
  growth?: number;
  /** V8's --heap-growing-percent while the trim runs; 0 leaves it to V8. */
  oldGenerationGrowthPercent?: number;
}

/** Reading a previous run: its own growth, V8's old generation as V8 sees fit (measured so). */
export const READ_TRIM: HeapTrimOptions = { growth: READ_GROWTH, oldGenerationGrowthPercent: 0 };
const CHECK_EVERY_MS = 1000;
/** Heap size at which the next forced collection is due, given what the last one left live. */
export function nextTrimThreshold(liveBytes: number, growth: number = GROWTH): number {
  return Math.max(TRIM_FLOOR_BYTES, Math.round(liveBytes * growth));
}

/**
 * Largest young generation (V8's new space, both semi-spaces) a batch lets V8 grow: what Node 20
 * allows, 2 x 16 MB. The thresholds above were tuned on that heap. V8 13 (Node 24) lets the
 * semi-spaces reach 64 MB where pointer compression is off, as in Node's builds
 * (--scavenger-max-new-space-capacity-mb=32, doubled); Node 26's V8 grew new space to 53-64 MB
 * in uneven steps. A 2,000-domain scan's new space then held up to 128 MB committed, nearly all
 * garbage, which used_heap_size does not count, so no trim ran while the scan peaked at ~210 MB
 * RSS against ~140 MB on Node 20. The maximum is fixed at start-up (--max-semi-space-size, which
 * `node bin/mxtls.js` cannot pass), but V8 reads the growth factor each time it grows new space.
 */
export const YOUNG_GENERATION_CAP_BYTES = 32 * 1024 * 1024;

/**
 * Whether new space must stop growing now: once it holds three quarters of the cap. V8 grows it
 * only after a collection, in 2x steps up to Node 24 (16 -> 32 MB: exactly Node 20's maximum, so
 * Node 20 runs as before) and in smaller, uneven ones on Node 26 (16 -> 26 -> 31 MB ...), and
 * this check runs in a callback after collections that can lag a few behind under load.
 * (Checking once a second instead let Node 24 reach 64 MB; stopping only at 16 MB held Node 20
 * at half its usual young generation and cost a 100,000-domain scan 29% more CPU.)
 */
export function youngGenerationFull(newSpaceBytes: number): boolean {
  return newSpaceBytes >= (YOUNG_GENERATION_CAP_BYTES * 3) / 4;
}

/** Committed size of V8's new space (both semi-spaces' current capacity). */
function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/** After each collection, until youngGenerationFull: then V8's growth factor becomes 1. */
function capYoungGeneration(): () => void {
  const observer = new PerformanceObserver(() => {
    if (!youngGenerationFull(newSpaceBytes())) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}

/**
 * A long batch allocates fast (DNS packets, TLS records, a JSON line per domain) but keeps
 * little. Left alone, V8 lets such a heap grow to hundreds of MB of garbage before a full
 * collection (442 MB RSS at 100,000 domains); a collection once the heap has grown past
 * nextTrimThreshold keeps the process near its real size for a few milliseconds each time.
 * Node documents this way of reaching gc() at run time.
 */
export function startHeapTrim({ growth = GROWTH, oldGenerationGrowthPercent = SCAN_OLD_GENERATION_GROWTH_PERCENT }: HeapTrimOptions = {}): () => void {
  setFlagsFromString('--expose-gc');
  setFlagsFromString(`--heap-growing-percent=${oldGenerationGrowthPercent}`);
  const gc = runInNewContext('gc') as () => void;
  let threshold = TRIM_FLOOR_BYTES;
  const stopYoungCap = capYoungGeneration();
  const timer = setInterval(() => {
    if (getHeapStatistics().used_heap_size <= threshold) return;
    gc();
    threshold = nextTrimThreshold(getHeapStatistics().used_heap_size, growth);
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    stopYoungCap();
    setFlagsFromString('--heap-growing-percent=0');
  };
}
