// Strings numbered 0, 1, 2... in the order they are added, kept as their UTF-8 bytes in one
// buffer. As keys of a Map a million domain names of a previous run cost ~70 bytes each (the
// string ~40, the Map's entry and buckets ~30), here ~30: the bytes, a 4-byte offset and 8 bytes
// of an open-addressing table (issue 16 item 4: --diff and --previous against a million-line
// run within 300 MB; diff/snapshot-store.ts numbers its columns with it). Lookups hash the
// bytes with FNV-1a, which is cheap and spreads domain names well enough for linear probing in
// a table kept at most half full.

import { grown } from './grown.js';

const INITIAL_NAMES = 1024;

/** FNV-1a over bytes[start, end): 32 bits. */
function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

export class StringIndex {
  private bytes = Buffer.allocUnsafe(INITIAL_NAMES * 32);
  /** Bytes in use: name i is bytes[starts[i], starts[i + 1]), the last one ends here. */
  private used = 0;
  private starts: Uint32Array = new Uint32Array(INITIAL_NAMES);
  private count = 0;
  /** Each slot holds a name's number + 1; 0 is an empty slot. */
  private table = new Uint32Array(INITIAL_NAMES * 2);

  /** How many strings have been added. */
  get size(): number {
    return this.count;
  }

  /** The number of `value`, or -1 when it was never added. */
  indexOf(value: string): number {
    const found = this.table[this.slotOf(this.stage(value))]!;
    return found - 1;
  }

  /** The number of `value`, given the next one when it is new. */
  add(value: string): number {
    const end = this.stage(value);
    const slot = this.slotOf(end);
    const found = this.table[slot]!;
    if (found !== 0) return found - 1;
    // The staged bytes become the new name's.
    if (this.count === this.starts.length) this.starts = grown(this.starts, this.count * 2);
    this.starts[this.count] = this.used;
    this.used = end;
    this.table[slot] = ++this.count;
    if (this.count * 2 > this.table.length) this.rehash();
    return this.count - 1;
  }

  /** The string numbered `index` (0 <= index < size). */
  at(index: number): string {
    return this.bytes.toString('utf8', this.starts[index]!, this.end(index));
  }

  private end(index: number): number {
    return index + 1 < this.count ? this.starts[index + 1]! : this.used;
  }

  /** Writes `value`'s bytes just past the names (not yet one of them); returns where they end. */
  private stage(value: string): number {
    const length = Buffer.byteLength(value, 'utf8');
    if (this.used + length > this.bytes.length) {
      // 1.5x, not 2x: the buffer is most of what a million names cost.
      const bigger = Buffer.allocUnsafe(Math.max(this.used + length, Math.ceil(this.bytes.length * 1.5)));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    return this.used + this.bytes.write(value, this.used, 'utf8');
  }

  /** The table slot holding the staged bytes' name, or the empty slot where it would go. */
  private slotOf(end: number): number {
    const { bytes, table, used } = this;
    const length = end - used;
    const mask = table.length - 1;
    for (let slot = fnv1a(bytes, used, end) & mask; ; slot = (slot + 1) & mask) {
      const found = table[slot]!;
      if (found === 0) return slot;
      const start = this.starts[found - 1]!;
      if (this.end(found - 1) - start === length && sameBytes(bytes, start, used, length)) return slot;
    }
  }

  private rehash(): void {
    const table = new Uint32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let index = 0; index < this.count; index++) {
      let slot = fnv1a(this.bytes, this.starts[index]!, this.end(index)) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = index + 1;
    }
    this.table = table;
  }
}

function sameBytes(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}
