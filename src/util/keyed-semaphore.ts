/**
 * At most `max` holders per key (an IP address, a resolver). A key's entry lives only while someone
 * holds or waits for it, so a run over a million distinct addresses keeps nothing behind.
 */
export class KeyedSemaphore {
  private readonly slots = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly max: number) {}

  async acquire(key: string): Promise<void> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    if (slot.active < this.max) {
      slot.active++;
      return;
    }
    // The releasing holder hands its slot over directly, so `active` does not change.
    await new Promise<void>((resolve) => slot.waiting.push(resolve));
  }

  release(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    const next = slot.waiting.shift();
    if (next) return next();
    slot.active--;
    if (slot.active === 0) this.slots.delete(key);
  }

  /** Keys currently held or waited for. */
  get size(): number {
    return this.slots.size;
  }
}
