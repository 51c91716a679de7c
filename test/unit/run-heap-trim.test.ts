import { describe, expect, it } from 'vitest';
import { nextTrimThreshold, READ_GROWTH, YOUNG_GENERATION_CAP_BYTES, youngGenerationFull } from '../../src/run/heap-trim.js';

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

  it('waits for less growth while a previous run is read (most of what it parses is dropped)', () => {
    expect(nextTrimThreshold(60 * MB, READ_GROWTH)).toBe(72 * MB);
    expect(nextTrimThreshold(12 * MB, READ_GROWTH)).toBe(48 * MB);
  });
});

describe('youngGenerationFull', () => {
  it('stops new space growth from 24 MB on, so a 2x step from 16 MB ends at Node 20’s 32 MB', () => {
    expect(youngGenerationFull(16 * MB)).toBe(false);
    expect(youngGenerationFull(24 * MB - 1)).toBe(false);
    expect(youngGenerationFull(24 * MB)).toBe(true);
    expect(youngGenerationFull(2 * 16 * MB)).toBe(true);
    expect(YOUNG_GENERATION_CAP_BYTES).toBe(32 * MB);
  });
});
