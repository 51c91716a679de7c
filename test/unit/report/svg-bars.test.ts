import { describe, expect, it } from 'vitest';
import { barChart } from '../../../src/report/svg-bars.js';

const widths = (svg: string) => [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));

describe('barChart', () => {
  it('draws one bar per row, as long as its value relative to the largest', () => {
    const svg = barChart([{ label: 'verify', value: 10, tone: 'tone-good' }, { label: 'may', value: 5, tone: 'tone-bad' }, { label: 'none', value: 0, tone: 'tone-bad' }], { title: 't' }).markup;
    const [a, b, c] = widths(svg);
    expect(b! * 2).toBe(a);
    expect(c).toBe(0);
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ 84"/);
    expect(svg).toContain('<title>t</title>');
  });

  it('measures against a given total and shows the share', () => {
    const svg = barChart([{ label: 'DANE', value: 1, tone: 'tone-good' }], { title: 'adoption', max: 4 }).markup;
    expect(svg).toContain('1 (25%)');
    expect(widths(svg)[0]).toBeLessThan(widths(barChart([{ label: 'DANE', value: 1, tone: 'x' }], { title: 'x' }).markup)[0]!);
  });

  it('escapes labels and titles', () => {
    const svg = barChart([{ label: '</text><script>x()</script>', value: 1, tone: 'a"b' }], { title: '<t>' }).markup;
    expect(svg).not.toMatch(/<script|<t>|class="a"b"/);
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
  });

  it('says there is nothing to chart rather than drawing an empty frame', () => {
    expect(barChart([], { title: 'x' }).markup).toContain('nothing to chart');
  });
});
