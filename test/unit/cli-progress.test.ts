import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';
import { carryOver } from '../../src/policy/carry-over.js';
import { reasonText, summaryText } from '../../src/output/reason-text.js';
import type { PolicyRecommendation } from '../../src/types.js';

const rec = (kind: PolicyRecommendation['kind']): PolicyRecommendation => ({ domain: 'a.test', kind, attributes: {}, summary: { code: 'mx-lookup-failed', status: 'timeout' }, reasons: [], warnings: [] });

function sink() {
  const writes: string[] = [];
  return { stream: { write: (t: string) => (writes.push(t), true) } as unknown as NodeJS.WriteStream, writes };
}

describe('Progress', () => {
  it('counts done, total, rate, ETA and unknowns', () => {
    const { stream } = sink();
    const p = new Progress(stream, false);
    for (let i = 0; i < 10; i++) p.entryRead();
    expect(p.line()).toMatch(/^mxtls: 0\/10\+ domains/);
    p.inputFinished();
    p.domainDone(rec('line'));
    p.domainDone(rec('unknown'));
    const line = p.line(Date.now() + 2000);
    expect(line).toMatch(/^mxtls: 2\/10 domains, 1\.0\/s, ETA 0:08, 1 unknown$/);
  });

  it('writes nothing when disabled (stderr not a terminal, or --quiet)', () => {
    const { stream, writes } = sink();
    const p = new Progress(stream, false);
    p.entryRead();
    p.domainDone(rec('line'));
    p.finish();
    expect(writes).toEqual([]);
  });

  it('redraws one line in place and clears it at the end', () => {
    const { stream, writes } = sink();
    const p = new Progress(stream, true);
    p.entryRead();
    p.finish();
    expect(writes[0]).toMatch(/^\r\x1b\[Kmxtls: 0\/1\+ domains/);
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });
});

describe('carryOver', () => {
  const previous = { level: 'verify' as const, attributes: {}, scannedAt: '2026-11-20T02:00:00.000Z' };

  it('keeps the earlier line for an inconclusive domain and says so', () => {
    const today = rec('unknown');
    expect(summaryText(today)).toBe('unknown (MX lookup timeout); no line written');
    const r = carryOver(today, previous);
    expect(r).toMatchObject({ kind: 'line', level: 'verify', carriedOverFrom: previous.scannedAt });
    // The fact wraps today's fact itself; no sentence is parsed or stripped.
    expect(r.summary).toEqual({ code: 'carried-over', from: previous.scannedAt, today: today.summary });
    expect(summaryText(r)).toBe('carried over from 2026-11-20: today unknown (MX lookup timeout)');
    expect(reasonText(r.summary)).toBe(summaryText(r));
  });

  it('never overrides a conclusive answer', () => {
    expect(carryOver({ ...rec('line'), level: 'may' }, previous).level).toBe('may');
    expect(carryOver(rec('no-mail'), previous).kind).toBe('no-mail');
    expect(carryOver(rec('unknown'), undefined).kind).toBe('unknown');
  });
});
