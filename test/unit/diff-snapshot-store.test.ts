import { describe, expect, it } from 'vitest';
import { SnapshotStore } from '../../src/diff/snapshot-store.js';
import type { DomainSnapshot } from '../../src/diff/snapshot.js';

const base: DomainSnapshot = { domain: 'a.example', scannedAt: Date.parse('2026-11-20T02:00:00.123Z'), status: 'scanned', kind: 'line', level: 'verify', hosts: [{ name: 'mx.example', addresses: [{ address: '192.0.2.1', observation: 'verified' }] }] };

describe('SnapshotStore', () => {
  it('gives back each snapshot as it was set, rare fields included, and forgets deleted ones', () => {
    const store = new SnapshotStore();
    const carried: DomainSnapshot = { ...base, domain: 'b.example', carriedOverFrom: '2026-11-01T02:00:00.000Z', attributes: { match: '.b.example' } };
    const unknown: DomainSnapshot = { domain: 'c.example', scannedAt: 1, status: 'dns-error', kind: 'unknown', hosts: [] };
    for (const s of [base, carried, unknown]) store.set(s);
    // More than the first column's 1024 slots: the columns grow.
    for (let i = 0; i < 3000; i++) store.set({ ...base, domain: `d${i}.example`, scannedAt: i });
    expect(store.size).toBe(3003);
    expect(store.get('a.example')).toEqual(base);
    expect(store.get('b.example')).toEqual(carried);
    expect(store.get('c.example')).toEqual(unknown);
    expect(store.get('c.example')).not.toHaveProperty('level');
    expect(store.get('d2999.example')?.scannedAt).toBe(2999);
    expect(store.get('a.example')!.hosts).toBe(base.hosts);
    // A domain set again (a later scan in the same file) replaces its earlier snapshot.
    store.set({ ...carried, carriedOverFrom: undefined, attributes: undefined, level: 'may' });
    expect(store.get('b.example')).toEqual({ ...base, domain: 'b.example', level: 'may' });
    expect(store.delete('a.example')).toBe(true);
    expect(store.delete('a.example')).toBe(false);
    expect(store.get('a.example')).toBeUndefined();
    expect([...store].map(([d]) => d).slice(0, 3)).toEqual(['b.example', 'c.example', 'd0.example']);
    // Deleting while iterating (DiffSession.finish) visits every domain once.
    let seen = 0;
    for (const [domain] of store) {
      store.delete(domain);
      seen++;
    }
    expect(seen).toBe(3002);
    expect(store.size).toBe(0);
  });
});
