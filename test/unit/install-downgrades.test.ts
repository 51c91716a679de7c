// The downgrade guard's two halves: which lines a new table lowers (in the diff's level order),
// and whether that is more than --max-downgrades allows.
import { describe, expect, it } from 'vitest';
import { exceedsLimit, parseDowngradeLimit, DEFAULT_MAX_DOWNGRADES } from '../../src/install/downgrade-limit.js';
import { findDowngrades } from '../../src/install/downgrades.js';
import { readPolicySource } from '../../src/install/policy-source.js';

const table = (text: string) => readPolicySource(text, 'lenient').entries;

describe('findDowngrades', () => {
  it('counts a lower level and a line that is gone; not a raise, not an equal level', () => {
    const before = table('up.test may\nsame.test verify\ndown.test verify\ngone.test encrypt\n');
    const after = table('up.test encrypt\nsame.test verify protocols=>=TLSv1.2\ndown.test encrypt\nnew.test may\n');
    expect(findDowngrades(before, after)).toEqual([
      { key: 'down.test', from: 'verify', to: 'encrypt' },
      { key: 'gone.test', from: 'encrypt' },
    ]);
  });

  it('ranks levels as the diff does: may < encrypt < verify < secure < dane < dane-only', () => {
    const order = ['may', 'encrypt', 'verify', 'secure', 'dane', 'dane-only'];
    for (let i = 1; i < order.length; i++) {
      const lower = order[i - 1]!;
      const higher = order[i]!;
      expect(findDowngrades(table(`a.test ${higher}\n`), table(`a.test ${lower}\n`)), `${higher} -> ${lower}`).toHaveLength(1);
      expect(findDowngrades(table(`a.test ${lower}\n`), table(`a.test ${higher}\n`)), `${lower} -> ${higher}`).toEqual([]);
    }
  });

  it('matches keys without case, like Postfix', () => {
    expect(findDowngrades(table('A.Test verify\n'), table('a.test verify\n'))).toEqual([]);
  });

  it('cannot rank a hand-written level, but still counts its line when it is gone', () => {
    expect(findDowngrades(table('a.test local-level\nb.test local-level\n'), table('a.test may\n'))).toEqual([{ key: 'b.test', from: 'local-level' }]);
  });
});

describe('--max-downgrades', () => {
  it('reads N and P%, and refuses anything else', () => {
    expect(parseDowngradeLimit('0')).toEqual({ ok: true, limit: { kind: 'lines', lines: 0 } });
    expect(parseDowngradeLimit('25')).toEqual({ ok: true, limit: { kind: 'lines', lines: 25 } });
    expect(parseDowngradeLimit('2.5%')).toEqual({ ok: true, limit: { kind: 'share', percent: 2.5 } });
    for (const bad of ['', '-1', '101%', '10 %', 'ten', '1e3', '%']) expect(parseDowngradeLimit(bad).ok, bad).toBe(false);
  });

  it('allows up to the limit and refuses one more; a share is not rounded', () => {
    const lines = { kind: 'lines', lines: 3 } as const;
    expect(exceedsLimit(lines, 3, 10)).toBe(false);
    expect(exceedsLimit(lines, 4, 10)).toBe(true);
    const share = { kind: 'share', percent: 10 } as const;
    expect(exceedsLimit(share, 1, 10)).toBe(false);
    expect(exceedsLimit(share, 2, 10)).toBe(true);
    expect(exceedsLimit(share, 1, 5)).toBe(true);
    expect(exceedsLimit(share, 0, 0)).toBe(false);
  });

  it('defaults to 10%', () => {
    expect(parseDowngradeLimit(DEFAULT_MAX_DOWNGRADES)).toEqual({ ok: true, limit: { kind: 'share', percent: 10 } });
  });
});
