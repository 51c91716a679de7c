import type { PolicyRecommendation, PreviousLine } from '../types.js';

/**
 * An inconclusive scan today (DNS timeout, every MX unreachable) says nothing new about the
 * domain: keep yesterday's line rather than dropping it, and say so. Conclusive results,
 * including "accepts no mail", always win.
 */
export function carryOver(rec: PolicyRecommendation, previous: PreviousLine | undefined): PolicyRecommendation {
  if (rec.kind !== 'unknown' || !previous) return rec;
  return {
    ...rec,
    kind: 'line',
    level: previous.level,
    attributes: { ...previous.attributes },
    summary: { code: 'carried-over', from: previous.scannedAt, today: rec.summary },
    carriedOverFrom: previous.scannedAt,
  };
}
