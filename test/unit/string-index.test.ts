import { describe, expect, it } from 'vitest';
import { StringIndex } from '../../src/util/string-index.js';

describe('StringIndex', () => {
  it('numbers strings in the order added, finds each again and gives it back, past several growths', () => {
    const index = new StringIndex();
    const names = Array.from({ length: 50_000 }, (_, i) => `d${i}.example`);
    names.forEach((name, i) => expect(index.add(name)).toBe(i));
    expect(index.size).toBe(50_000);
    // Added again: the same number, nothing new.
    expect(index.add('d123.example')).toBe(123);
    expect(index.size).toBe(50_000);
    for (const i of [0, 1, 1023, 1024, 49_999]) {
      expect(index.indexOf(names[i]!)).toBe(i);
      expect(index.at(i)).toBe(names[i]);
    }
    expect(index.indexOf('d50000.example')).toBe(-1);
    // A prefix of a name, or a name with one more character, is another string.
    expect(index.indexOf('d1.exampl')).toBe(-1);
    expect(index.indexOf('d1.examplee')).toBe(-1);
  });

  it('keeps any string as it was: non-ASCII, the empty string, and a lookup of a longer one in between', () => {
    const index = new StringIndex();
    expect(index.add('bücher.example')).toBe(0);
    expect(index.indexOf('x'.repeat(100_000))).toBe(-1);
    expect(index.add('')).toBe(1);
    expect(index.add('[mx.example]:25')).toBe(2);
    expect([0, 1, 2].map((i) => index.at(i))).toEqual(['bücher.example', '', '[mx.example]:25']);
    expect(index.indexOf('bücher.example')).toBe(0);
    expect(index.indexOf('')).toBe(1);
  });
});
