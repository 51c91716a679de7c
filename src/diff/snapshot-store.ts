// A previous run's snapshots by domain, for --diff and --previous, kept in columns (issue 16 item
// 4: a million-line previous run within 300 MB). As one object per domain in a Map a snapshot
// cost ~236 bytes (the object 88, its boxed date 16, the key 40, the Map entry 40, ...); here a
// domain costs ~30 bytes of name (util/string-index.ts numbers the domains and keeps their
// names as bytes; as Map keys they were ~70 bytes each, half of what a million-line run kept)
// and 17 bytes of columns: a date in a Float64Array, a pointer to its MX list (shared by a
// provider's customers, host-pool.ts) and one byte naming its status, kind and level, interned
// (a handful of combinations in a whole run; 0 marks a domain never set or deleted). The few
// with a carried-over line or attributes keep them in a side Map. A snapshot object is made
// when asked.
import { grown } from '../util/grown.js';
import { StringIndex } from '../util/string-index.js';
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

/** Verdict number 0: no snapshot in this slot. */
const ABSENT = 0;

export class SnapshotStore implements Snapshots {
  private readonly names = new StringIndex();
  private count = 0;
  private scannedAt = new Float64Array(1024);
  private verdictOf = new Uint8Array(1024);
  private readonly hosts: (readonly HostSnapshot[])[] = [];
  private readonly rare = new Map<number, Rare>();
  /** Distinct verdicts, numbered from 1; by their text for interning. */
  private readonly verdicts: (Verdict | undefined)[] = [undefined];
  private readonly interned = new Map<string, number>();

  get size(): number {
    return this.count;
  }

  set(snapshot: DomainSnapshot): void {
    const slot = this.names.add(snapshot.domain);
    if (slot === this.scannedAt.length) {
      this.scannedAt = grown(this.scannedAt, slot * 2);
      this.verdictOf = grown(this.verdictOf, slot * 2);
    }
    if (this.verdictOf[slot] === ABSENT) this.count++;
    this.scannedAt[slot] = snapshot.scannedAt;
    this.hosts[slot] = snapshot.hosts;
    this.verdictOf[slot] = this.intern(snapshot);
    if (snapshot.carriedOverFrom !== undefined || snapshot.attributes !== undefined) {
      this.rare.set(slot, { carriedOverFrom: snapshot.carriedOverFrom, attributes: snapshot.attributes });
    } else this.rare.delete(slot);
  }

  get(domain: string): DomainSnapshot | undefined {
    const slot = this.names.indexOf(domain);
    return slot < 0 || this.verdictOf[slot] === ABSENT ? undefined : this.at(domain, slot);
  }

  /** Forgets a domain; its slot stays unused (a run drops, it never re-adds). */
  delete(domain: string): boolean {
    const slot = this.names.indexOf(domain);
    if (slot < 0 || this.verdictOf[slot] === ABSENT) return false;
    this.verdictOf[slot] = ABSENT;
    this.count--;
    this.rare.delete(slot);
    // The MX list may be the last reference to its hosts.
    this.hosts[slot] = NO_HOSTS;
    return true;
  }

  *keys(): IterableIterator<string> {
    for (let slot = 0; slot < this.names.size; slot++) if (this.verdictOf[slot] !== ABSENT) yield this.names.at(slot);
  }

  /** In the order first set; a domain deleted meanwhile is skipped. */
  *[Symbol.iterator](): IterableIterator<[string, DomainSnapshot]> {
    for (let slot = 0; slot < this.names.size; slot++) {
      if (this.verdictOf[slot] === ABSENT) continue;
      const domain = this.names.at(slot);
      yield [domain, this.at(domain, slot)];
    }
  }

  private at(domain: string, slot: number): DomainSnapshot {
    const { status, kind, level } = this.verdicts[this.verdictOf[slot]!]!;
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

  /** The verdict's number (statuses x kinds x levels: far fewer than a byte's 255). */
  private intern({ status, kind, level }: DomainSnapshot): number {
    const key = `${status} ${kind} ${level ?? ''}`;
    let number = this.interned.get(key);
    if (number === undefined) {
      number = this.verdicts.length;
      this.verdicts.push(Object.freeze({ status, kind, ...(level === undefined ? {} : { level }) }));
      this.interned.set(key, number);
    }
    return number;
  }
}
