// A set of strings that keeps 8 bytes per member: the first 64 bits of each one's SHA-256, in an
// open-addressing table of 32-bit halves. A batch remembers every domain it took so that one
// listed twice is scanned once; as a Set of strings, a million lab names held 73 MB of heap, and
// the heap trim (run/heap-trim.ts) lets the heap grow 1.5 times past what stays live, so a
// 1,000,000-domain scan peaked above 200 MB RSS. This table holds them in 12 MB.
//
// Two different strings share a key with probability about n^2 / 2^65 (3e-8 for a million
// members): then the second counts as present. SHA-256 as in input/shard.ts: the same bytes on
// every platform and Node version, evenly spread.
import { hash } from 'node:crypto';

const INITIAL_SLOTS = 1024;

export class HashedStringSet {
  /** Slot i holds the key's high half at 2i and low half at 2i + 1; 0/0 is an empty slot. */
  private slots = new Uint32Array(INITIAL_SLOTS * 2);
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(value: string): boolean {
    const [hi, lo] = key(value);
    const at = this.find(this.slots, hi, lo);
    return this.slots[at * 2] !== 0 || this.slots[at * 2 + 1] !== 0;
  }

  /** Adds `value`; returns false when it was there already. */
  add(value: string): boolean {
    const [hi, lo] = key(value);
    const at = this.find(this.slots, hi, lo);
    if (this.slots[at * 2] !== 0 || this.slots[at * 2 + 1] !== 0) return false;
    this.slots[at * 2] = hi;
    this.slots[at * 2 + 1] = lo;
    this.count++;
    if (this.count * 3 > this.slots.length) this.grow();
    return true;
  }

  /** The slot holding hi/lo, or the empty slot where it would go (linear probing). */
  private find(slots: Uint32Array, hi: number, lo: number): number {
    const n = slots.length / 2;
    for (let i = lo % n; ; i = i + 1 === n ? 0 : i + 1) {
      const h = slots[i * 2]!;
      const l = slots[i * 2 + 1]!;
      if ((h === 0 && l === 0) || (h === hi && l === lo)) return i;
    }
  }

  /**
   * At most two thirds full (count * 3 > slots * 2 triggers this; a miss then probes ~5 slots,
   * nothing beside the SHA-256 of each name), grown 1.5 times: a million members need 1.51M
   * slots, 12 MB, and 20 MB while the table grows. Doubling at half full gave 2M slots, 16 MB,
   * and 24 MB while growing, the peak of a 1M-domain scan (issue 16 item 4: 150 MB).
   */
  private grow(): void {
    const old = this.slots;
    const slots = new Uint32Array(Math.ceil(old.length / 4) * 2 * 3);
    for (let i = 0; i < old.length; i += 2) {
      const hi = old[i]!;
      const lo = old[i + 1]!;
      if (hi === 0 && lo === 0) continue;
      const at = this.find(slots, hi, lo);
      slots[at * 2] = hi;
      slots[at * 2 + 1] = lo;
    }
    this.slots = slots;
  }
}

/**
 * The first 64 bits of SHA-256(value, UTF-8) as two halves, never both zero (0/0 marks empty).
 * crypto.hash is the one-shot form: a Hash object per domain measured as ~1% of a scan's CPU.
 */
function key(value: string): [number, number] {
  const digest = hash('sha256', value, 'buffer');
  const hi = digest.readUInt32BE(0);
  const lo = digest.readUInt32BE(4);
  return hi === 0 && lo === 0 ? [0, 1] : [hi, lo];
}
