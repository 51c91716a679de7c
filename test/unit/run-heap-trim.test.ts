import { describe, expect, it } from 'vitest';
import { nextTrimThreshold } from '../../src/run/heap-trim.js';

const MB = 1024 * 1024;

describe('nextTrimThreshold', () => {
  it('keeps the 48 MB floor while little stays live', () => {
    expect(nextTrimThreshold(12 * MB)).toBe(48 * MB);
    expect(nextTrimThreshold(32 * MB)).toBe(48 * MB);
  });

  it('waits for 1.5x the live size once that is above the floor, so a large live set is not collected every second', () => {
    expect(nextTrimThreshold(60 * MB)).toBe(90 * MB);
    expect(nextTrimThreshold(100 * MB)).toBeGreaterThan(100 * MB);
  });
});
