import { describe, expect, it } from 'vitest';
import { DiffSession } from '../../src/diff/session.js';
import { replayRun, runToEnd } from '../../src/run/run.js';
import type { DomainResult } from '../../src/types.js';
import { scan, snap } from '../helpers/diff-fixtures.js';

async function* nothing(): AsyncGenerator<DomainResult> {}

describe('a run telling the domains gone since the previous run (issue 16 item 4)', () => {
  it('tells each to the observers, counts them, and lets timers run while it does', async () => {
    const one = snap(scan('gone.example', [], { kind: 'line', level: 'may' }));
    const snapshots = new Map(Array.from({ length: 5000 }, (_, i) => [`d${i}.example`, { ...one, domain: `d${i}.example` }] as const));
    const diff = new DiffSession({ snapshots, lines: snapshots.size, badLines: 0 }, 30);
    let told = 0;
    // The heap trim and V8's own tasks run from the event loop: a timer due at once must fire
    // before the last of 5000 gone domains is told, not after the run.
    let toldWhenTimerRan: number | undefined;
    setImmediate(() => (toldWhenTimerRan = told));
    const summary = await runToEnd(replayRun(nothing(), { diff, observers: [{ gone: () => void told++ }] }));
    expect(told).toBe(5000);
    expect(summary).toMatchObject({ domains: 0, gone: 5000, regression: false });
    expect(toldWhenTimerRan).toBeLessThan(5000);
  });
});
