import { describe, expect, it } from 'vitest';
import { escapeLabelValue, renderExposition } from '../../../src/metrics/exposition.js';

describe('the Prometheus text exposition', () => {
  it('writes HELP, TYPE and samples per family, in the order given', () => {
    const text = renderExposition([
      { name: 'mxtls_a', help: 'First.', samples: [{ value: 1 }] },
      { name: 'mxtls_b', help: 'Second.', samples: [{ labels: { level: 'verify' }, value: 2 }, { labels: { level: 'may', kind: 'line' }, value: 0 }] },
    ]);
    expect(text).toBe(
      [
        '# HELP mxtls_a First.',
        '# TYPE mxtls_a gauge',
        'mxtls_a 1',
        '# HELP mxtls_b Second.',
        '# TYPE mxtls_b gauge',
        'mxtls_b{level="verify"} 2',
        'mxtls_b{level="may",kind="line"} 0',
        '',
      ].join('\n'),
    );
  });

  it('writes a family without samples as HELP and TYPE only', () => {
    expect(renderExposition([{ name: 'mxtls_none', help: 'x', samples: [] }])).toBe('# HELP mxtls_none x\n# TYPE mxtls_none gauge\n');
  });

  it('escapes backslash, double quote and line feed in label values, and nothing else', () => {
    expect(escapeLabelValue('a\\b"c\nd\te}{,=\u00e9')).toBe('a\\\\b\\"c\\nd\te}{,=\u00e9');
    const text = renderExposition([{ name: 'mxtls_x', help: 'x', samples: [{ labels: { host: 'mx"1\n' }, value: 1 }] }]);
    expect(text).toContain('mxtls_x{host="mx\\"1\\n"} 1\n');
  });

  it('escapes backslash and line feed in HELP text, so it stays one line', () => {
    const text = renderExposition([{ name: 'mxtls_x', help: 'a\\b\n# TYPE mxtls_x counter', samples: [] }]);
    expect(text.split('\n')[0]).toBe('# HELP mxtls_x a\\\\b\\n# TYPE mxtls_x counter');
    expect(text.split('\n')).toHaveLength(3);
  });

  it('spells the special values as Prometheus reads them', () => {
    const text = renderExposition([{ name: 'mxtls_x', help: 'x', samples: [NaN, Infinity, -Infinity, 0.25].map((value, i) => ({ labels: { i: String(i) }, value })) }]);
    expect(text).toContain('mxtls_x{i="0"} NaN\nmxtls_x{i="1"} +Inf\nmxtls_x{i="2"} -Inf\nmxtls_x{i="3"} 0.25\n');
  });

  it('refuses names outside the format\'s grammar, reserved label names and a family given twice', () => {
    expect(() => renderExposition([{ name: 'mxtls-x', help: 'x', samples: [] }])).toThrow(/invalid metric name/);
    expect(() => renderExposition([{ name: 'mxtls_x', help: 'x', samples: [{ labels: { 'a-b': '1' }, value: 1 }] }])).toThrow(/invalid label name/);
    expect(() => renderExposition([{ name: 'mxtls_x', help: 'x', samples: [{ labels: { __name__: '1' }, value: 1 }] }])).toThrow(/invalid label name/);
    const twice = { name: 'mxtls_x', help: 'x', samples: [] };
    expect(() => renderExposition([twice, twice])).toThrow(/given twice/);
  });
});
