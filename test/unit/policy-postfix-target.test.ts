import { describe, expect, it } from 'vitest';
import { compareVersions, DEFAULT_TARGET, parsePostfixTarget, targetAtLeast } from '../../src/policy/postfix-target.js';

describe('parsePostfixTarget', () => {
  it.each([
    ['3.7.11', [3, 7, 11]],
    ['3.10.13', [3, 10, 13]],
    ['3.10', [3, 10, 0]],
    ['2.11.0', [2, 11, 0]],
    ['3.11-20250906', [3, 11, 0]],
    ['3.11.0-RC1', [3, 11, 0]],
    [' 3.9.4\n', [3, 9, 4]],
  ])('reads %j', (text, version) => {
    expect(parsePostfixTarget(text)).toEqual({ ok: true, target: { label: text.trim(), version } });
  });

  it.each(['', '3', 'three', '3.10.x', '3.10.5; rm -rf /', '3.10.5 3.11', '10000.1.1'])('refuses %j', (text) => {
    expect(parsePostfixTarget(text).ok).toBe(false);
  });

  it('refuses a Postfix without the dane levels (before 2.11) and points to per-site', () => {
    const parsed = parsePostfixTarget('2.10.9');
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/older than 2\.11.*per-site/) });
  });
});

describe('versions', () => {
  it('compares numerically, not as text', () => {
    expect(compareVersions([3, 10, 0], [3, 9, 9])).toBeGreaterThan(0);
    expect(compareVersions([3, 10, 4], [3, 10, 5])).toBeLessThan(0);
    expect(targetAtLeast({ label: '3.11.0', version: [3, 11, 0] }, [3, 10, 5])).toBe(true);
  });

  it('the default target is written for the oldest release of its range', () => {
    expect(DEFAULT_TARGET.label).toBe('2.11-3.9');
    expect(targetAtLeast(DEFAULT_TARGET, [3, 0, 0])).toBe(false);
  });
});
