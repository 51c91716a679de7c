// A previous run's snapshots by domain, for --diff and --previous, kept in columns (issue 16 item
// 4: a million-line previous run within 300 MB). As one object per domain in a Map a snapshot
// cost ~236 bytes (the object 88, its boxed date 16, the key 40, the Map entry 40, ...); here a
// domain costs its key, its Map entry and 24 bytes of columns: a date in a Float64Array, and two
// pointers, one to its MX list (shared by a provider's customers, host-pool.ts) and one to its
// status, kind and level, interned (a handful of combinations in a whole run). The few with a
// carried-over line or attributes keep them in a side Map. A snapshot object is made when asked.
import type { DomainSnapshot, HostSnapshot } from './snapshot.js';

const NO_HOSTS: readonly HostSnapshot[] = Object.freeze([]);

type Verdict = Pick<DomainSnapshot, 'status' | 'kind' | 'level'>;
type Rare = Pick<DomainSnapshot, 'carriedOverFrom' | 'attributes'>;

/** What the diff and --previous ask of the snapshots: a Map of them is one too. */
export interface Snapshots extends Iterable<[string, DomainSnapshot]> {
  readonly size: number;
  get(domain: string): DomainSnapshot | undefined;
  delete(domain: string): boolean;
  keys(): IterableIterator<string>;
}

export class SnapshotStore implements Snapshots {
  private readonly slots = new Map<string, number>();
  private scannedAt = new Float64Array(1024);
  private readonly hosts: (readonly HostSnapshot[])[] = [];
  private readonly verdicts: Verdict[] = [];
  private readonly rare = new Map<number, Rare>();
  private readonly interned = new Map<string, Verdict>();

  get size(): number {
    return this.slots.size;
  }

  set(snapshot: DomainSnapshot): void {
    let slot = this.slots.get(snapshot.domain);
    if (slot === undefined) {
      slot = this.hosts.length;
      if (slot === this.scannedAt.length) {
        const bigger = new Float64Array(slot * 2);
        bigger.set(this.scannedAt);
        this.scannedAt = bigger;
      }
      this.slots.set(snapshot.domain, slot);
    }
    this.scannedAt[slot] = snapshot.scannedAt;
    this.hosts[slot] = snapshot.hosts;
    this.verdicts[slot] = this.intern(snapshot);
    if (snapshot.carriedOverFrom !== undefined || snapshot.attributes !== undefined) {
      this.rare.set(slot, { carriedOverFrom: snapshot.carriedOverFrom, attributes: snapshot.attributes });
    } else this.rare.delete(slot);
  }

  get(domain: string): DomainSnapshot | undefined {
    const slot = this.slots.get(domain);
    return slot === undefined ? undefined : this.at(domain, slot);
  }

  /** Forgets a domain; its columns' slot stays unused (a run drops, it never re-adds). */
  delete(domain: string): boolean {
    const slot = this.slots.get(domain);
    if (slot === undefined) return false;
    this.slots.delete(domain);
    this.rare.delete(slot);
    // The MX list may be the last reference to its hosts.
    this.hosts[slot] = NO_HOSTS;
    return true;
  }

  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  *[Symbol.iterator](): IterableIterator<[string, DomainSnapshot]> {
    for (const [domain, slot] of this.slots) yield [domain, this.at(domain, slot)];
  }

  private at(domain: string, slot: number): DomainSnapshot {
    const { status, kind, level } = this.verdicts[slot]!;
    const rare = this.rare.get(slot);
    return {
      domain,
      scannedAt: this.scannedAt[slot]!,
      status,
      kind,
      ...(level === undefined ? {} : { level }),
      ...(rare?.carriedOverFrom === undefined ? {} : { carriedOverFrom: rare.carriedOverFrom }),
      hosts: this.hosts[slot]!,
      ...(rare?.attributes === undefined ? {} : { attributes: rare.attributes }),
    };
  }

  private intern({ status, kind, level }: DomainSnapshot): Verdict {
    const key = `${status} ${kind} ${level ?? ''}`;
    let verdict = this.interned.get(key);
    if (!verdict) {
      verdict = Object.freeze({ status, kind, ...(level === undefined ? {} : { level }) });
      this.interned.set(key, verdict);
    }
    return verdict;
  }
}
