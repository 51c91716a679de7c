import type { Change } from './change.js';
import { compareDomain, goneChange } from './compare.js';
import type { PreviousRun } from './read-previous.js';
import { diffNdjsonLine, DiffSummary } from './render.js';
import { toSnapshot } from './snapshot.js';
import type { Snapshots } from './snapshot-store.js';
import type { DomainResult, PolicyRecommendation } from '../types.js';

/**
 * The diff of one run against a previous one, fed domain by domain. Compared snapshots are
 * dropped as they are used, so what is left at the end is exactly the domains that are gone.
 * No change is kept: each goes to the caller and into the readable summary's tally.
 */
export class DiffSession {
  private readonly tally = new DiffSummary();
  private compared = 0;
  private readonly now = new Date();

  private readonly previous: Snapshots;

  /** Takes over the run's snapshots: they are dropped as they are compared. */
  constructor(run: PreviousRun, private readonly expiryWarnDays: number) {
    this.previous = run.snapshots;
  }

  /** The changes of one finished domain (the recommendation after any carry-over). */
  domain(result: DomainResult, rec: PolicyRecommendation): Change[] {
    this.compared++;
    const before = this.previous.get(result.domain);
    this.previous.delete(result.domain);
    const found = compareDomain(before, toSnapshot(result, rec), { now: this.now, expiryWarnDays: this.expiryWarnDays });
    for (const change of found) this.tally.add(change);
    return found;
  }

  /**
   * Domains of the previous run that this one did not cover, one change at a time, each snapshot
   * dropped as its change is made: a list that lost most of a million domains never holds them
   * all as changes (issue 16 item 4). Iterate once, at the end.
   */
  *gone(): Generator<Change> {
    for (const [domain, snapshot] of this.previous) {
      const change = goneChange(domain, snapshot);
      this.previous.delete(domain);
      this.tally.add(change);
      yield change;
    }
  }

  /** Changes as `--format diff` writes them: one JSON line each. */
  ndjson(changes: readonly Change[]): string {
    return changes.map(diffNdjsonLine).join('');
  }

  /** The readable summary of every change so far. */
  summary(): string {
    return this.tally.text({ compared: this.compared });
  }

  hasRegression(): boolean {
    return this.tally.regressions() > 0;
  }
}
