import { describe, expect, it } from 'vitest';
import { createRenderer, OUTPUT_FORMATS, type OutputFormat } from '../../../src/output/index.js';
import { NOW, sampleItems } from '../../helpers/output-fixtures.js';

const meta = { version: '1.2.0', generatedAt: '2026-11-21T02:00:00Z', resolvers: ['127.0.0.1'], now: NOW };

/** Run a renderer over the sample items; return what was emitted at each step. */
function run(format: OutputFormat, items = sampleItems()): { begin: string; perDomain: string[]; end: string } {
  const renderer = createRenderer(format, meta);
  const begin = renderer.begin();
  const perDomain = items.map((item) => renderer.domain(item.result, item.rec));
  return { begin, perDomain, end: renderer.end() };
}

describe('createRenderer', () => {
  it.each<OutputFormat>(['ndjson', 'policy', 'per-site'])('%s emits each domain as soon as it is done', (format) => {
    const { perDomain, end } = run(format);
    expect(perDomain.every((text) => text.endsWith('\n'))).toBe(true);
    // The map files close with a tally comment; NDJSON is one object per line and nothing else.
    if (format === 'ndjson') expect(end).toBe('');
    else if (format === 'per-site') expect(end).toMatch(/^# downgraded: none\n# end: 5 domains: /);
    else expect(end).toMatch(/^# end: 5 domains: /);
  });

  it('policy: the header comes first, the entries follow', () => {
    const { begin, perDomain } = run('policy');
    expect(begin).toBe('# mxtls 1.2.0 policy for Postfix 2.11-3.9, 2026-11-21T02:00:00Z, resolver 127.0.0.1\n');
    expect(perDomain[0]).toMatch(/^# example\.com: .*\nexample\.com +verify\n$/);
  });

  it('ndjson: per domain, the records it still needs, then its line', () => {
    const { begin, perDomain } = run('ndjson');
    expect(begin).toBe('');
    const lines = perDomain.map((text) => text.trimEnd().split('\n').map((l) => JSON.parse(l)));
    expect(lines.map((l) => l.at(-1).policy.domain)).toEqual(sampleItems().map((item) => item.rec.domain));
    expect(lines.flatMap((l) => l.slice(0, -1)).every((r) => r.record === 'probe' || r.record === 'certificate')).toBe(true);
  });

  it.each<OutputFormat>(['json', 'table'])('%s waits for the end', (format) => {
    const { begin, perDomain, end } = run(format);
    expect([begin, ...perDomain]).toEqual(Array(sampleItems().length + 1).fill(''));
    expect(end).toContain('example.edu');
  });

  it('json: one document with every domain', () => {
    expect(JSON.parse(run('json').end).results).toHaveLength(sampleItems().length);
  });

  it('table: the detailed view for exactly one domain, the summary otherwise', () => {
    const one = run('table', sampleItems().slice(0, 1)).end;
    expect(one).toContain('recommendation: verify');
    expect(one).toContain('SPKI SHA-256');
    const many = run('table').end;
    expect(many).toMatch(/^domain +MX +answered/);
    expect(many).not.toContain('SPKI SHA-256');
  });

  it('knows every format it advertises', () => {
    for (const format of OUTPUT_FORMATS) expect(() => run(format)).not.toThrow();
  });
});
