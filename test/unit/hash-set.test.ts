import { describe, expect, it } from 'vitest';
import { HashedStringSet } from '../../src/util/hash-set.js';

describe('HashedStringSet', () => {
  it('adds a string once and finds it again', () => {
    const set = new HashedStringSet();
    expect(set.has('example.com')).toBe(false);
    expect(set.add('example.com')).toBe(true);
    expect(set.add('example.com')).toBe(false);
    expect(set.has('example.com')).toBe(true);
    expect(set.has('example.org')).toBe(false);
    expect(set.size).toBe(1);
  });

  it('tells apart strings that differ only in case or by a trailing dot (callers normalise first)', () => {
    const set = new HashedStringSet();
    set.add('example.com');
    expect(set.has('Example.com')).toBe(false);
    expect(set.has('example.com.')).toBe(false);
  });

  it('keeps every member and nothing else as it grows far past its first table', () => {
    const set = new HashedStringSet();
    for (let i = 0; i < 50_000; i++) expect(set.add(`d${i}.bench.test`)).toBe(true);
    expect(set.size).toBe(50_000);
    for (let i = 0; i < 50_000; i++) expect(set.has(`d${i}.bench.test`)).toBe(true);
    for (let i = 50_000; i < 60_000; i++) expect(set.has(`d${i}.bench.test`)).toBe(false);
    for (let i = 0; i < 50_000; i += 997) expect(set.add(`d${i}.bench.test`)).toBe(false);
    expect(set.size).toBe(50_000);
  });
});
