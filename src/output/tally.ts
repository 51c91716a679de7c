import type { PolicyRecommendation } from '../types.js';

/** The word a recommendation is counted under: its level, or why there is no line. */
export function tallyKey(rec: PolicyRecommendation, noMail: string): string {
  return rec.kind === 'line' ? (rec.level ?? 'no level') : rec.kind === 'no-mail' ? noMail : 'unknown';
}

/** Counts recommendations by level (or by why there is no line), for closing summaries. */
export class Tally {
  private readonly counts = new Map<string, number>();
  private total = 0;

  /** `noMail` is how this output names domains that accept no mail. */
  constructor(private readonly noMail: string) {}

  add(rec: PolicyRecommendation): void {
    this.total++;
    const key = tallyKey(rec, this.noMail);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** "3 domains: 2 verify, 1 may": largest first, ties by name so the line is stable. */
  text(): string {
    const parts = [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([what, n]) => `${n} ${what}`);
    return `${this.total} ${this.total === 1 ? 'domain' : 'domains'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
  }
}
