import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../src/diff/index.js';
import { renderReport, type ReportMeta } from '../../../src/report/render-report.js';
import { ReportBuilder } from '../../../src/report/report-model.js';
import { mxHost, NOW, noMail, scan } from '../../helpers/diff-fixtures.js';

const META: ReportMeta = { version: '9.9.9', generatedAt: NOW, results: 'today.ndjson', expiryWarnDays: 14, policyOptions: '--partial cap --mixed weakest' };

function page(withDiff: boolean): string {
  const builder = new ReportBuilder({ now: NOW, expiryWarnDays: 14, lineFor: (_r, rec) => ({ text: `${rec.domain} ${rec.level}`, written: true }) });
  const hostile = scan('a.example', [mxHost('<script>alert(1)</script>', ['verified'])], { level: 'verify', summary: { code: 'verified', verified: 1, addresses: 1, host: '"><img src=x onerror=alert(2)>' } });
  for (const { result, rec } of [hostile, scan('b.example', [mxHost('mx.b.example', ['no-starttls'])], { level: 'may' }), noMail('c.example')]) builder.domain(result, rec);
  if (withDiff) {
    const changes: Change[] = [
      { domain: 'a.example', type: 'level-up', details: { from: 'may', to: 'verify' }, severity: 'info' },
      { domain: 'z.example', type: 'mx-changed', details: { added: ['mx2.z.example'], removed: [] }, severity: 'warning' },
      { domain: 'b.example', type: 'level-down', details: { from: 'verify', to: 'may' }, severity: 'regression' },
    ];
    builder.diffChanges(changes, true);
  }
  return renderReport(builder.build(), { ...META, ...(withDiff ? { previous: 'yesterday.ndjson' } : {}) });
}

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('renderReport', () => {
  it('is one self-contained page: no URL, no src, no href, nothing to fetch', () => {
    const text = page(true);
    // In tags: escaped text may well read "src=" (the hostile reason does), but holds no "<".
    expect(text).not.toMatch(/<[^>]*\s(src|href|srcset|action|poster|data)=/i);
    expect(text).not.toMatch(/https?:|url\(|@import|<link|<iframe|<object|<img/i);
  });

  it('allows by CSP exactly its own script and stylesheet, by hash, and forbids every fetch', () => {
    const text = page(false);
    const script = /<script>([\s\S]*?)<\/script>/.exec(text)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(text)![1]!;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(text)![1]!.replaceAll('&#39;', "'");
    expect(csp).toContain(`default-src 'none'`);
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(text.match(/<script/g)).toHaveLength(1);
  });

  it('shows hostile text only escaped', () => {
    const text = page(false);
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(text).not.toMatch(/<img|<script>alert/);
  });

  it('lists changes worst first: regressions, warnings, then info', () => {
    const text = page(true);
    const order = [...text.matchAll(/<tr class="sev-(\w+)">/g)].map((m) => m[1]);
    expect(order).toEqual(['regression', 'warning', 'info']);
    expect(text).toContain('1 regression, 1 warning, 1 info; 1 domain compared with yesterday.ndjson');
    expect(text).toContain('level down: verify → may');
  });

  it('leaves the changes out without --diff, and keeps every other section', () => {
    const text = page(false);
    expect(text).not.toContain('id="changes"');
    for (const id of ['glance', 'adoption', 'expiring', 'providers', 'all']) expect(text).toContain(`id="${id}"`);
    expect(text.match(/<tbody>[\s\S]*?<\/tbody>/g)!.at(-1)!.match(/<tr>/g)).toHaveLength(3);
  });
});
