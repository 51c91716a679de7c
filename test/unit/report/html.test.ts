import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from '../../../src/report/html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that end text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('leaves other text as it is', () => {
    expect(escapeHtml('mx1.example.com TLSv1.3 → bücher ✓')).toBe('mx1.example.com TLSv1.3 → bücher ✓');
  });

  it('is not undone by a second pass: an entity in the input stays literal', () => {
    expect(escapeHtml('&lt;script&gt;')).toBe('&amp;lt;script&amp;gt;');
  });
});

describe('the html template', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const banner = '<script>alert(1)</script>';
    const cn = '"><img src=x onerror=alert(2)>';
    const out = html`<td title="${cn}">${banner}</td>`.markup;
    expect(out).toBe('<td title="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(out).not.toMatch(/<script|<img/);
  });

  it('nests markup it made without escaping it again, and joins arrays', () => {
    const items = ['a<b', 'c'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}</ul>`.markup).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
  });

  it('writes numbers, and nothing for empty values', () => {
    expect(html`${0}|${42}|${undefined}|${null}|${false}|${''}`.markup).toBe('0|42||||');
  });

  it('only SafeHtml passes unescaped: a string that looks like markup does not', () => {
    expect(html`${'<b>x</b>'}`.markup).toBe('&lt;b&gt;x&lt;/b&gt;');
    expect(html`${new SafeHtml('<b>x</b>')}`.markup).toBe('<b>x</b>');
  });
});
