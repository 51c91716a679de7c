import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/diff/change.js';
import { bySeverityThenDomain, countBySeverity, diffNdjsonLine, DiffSummary, renderDiffText } from '../../src/diff/render.js';

const changes: Change[] = [
  { domain: 'b.example', type: 'level-up', severity: 'info', details: { from: 'may', to: 'verify' } },
  { domain: 'b.example', type: 'certificate-changed', severity: 'warning', details: { host: 'mx.b.example', address: '192.0.2.2', from: 'a'.repeat(64), to: 'b'.repeat(64) } },
  { domain: 'c.example', type: 'starttls-lost', severity: 'regression', details: { host: 'mx.c.example', from: 'all', to: 'none' } },
  { domain: 'a.example', type: 'certificate-expiring', severity: 'warning', details: { host: 'mx.a.example', address: '2001:db8::1', notAfter: '2026-11-26T02:00:00.000Z', daysLeft: 5 } },
  { domain: 'a.example', type: 'level-down', severity: 'regression', details: { from: 'verify', to: 'may' } },
  { domain: 'a.example', type: 'new-failure', severity: 'regression', details: { host: 'mx.a.example', address: '192.0.2.1', failure: 'tls-handshake-failed', observation: 'tls-failed' } },
];

describe('renderDiffText', () => {
  it('counts at the top, then regressions, warnings and info, each sorted by domain', () => {
    expect(renderDiffText(changes, { compared: 1000 })).toBe(
      [
        '3 regressions, 2 warnings, 1 info (1000 domains compared)',
        '',
        'regressions',
        '  a.example  level down: verify → may',
        '  a.example  mx.a.example [192.0.2.1]: now fails: tls-handshake-failed (TLS failed)',
        '  c.example  mx.c.example: STARTTLS lost: offered by all → none of its addresses',
        '',
        'warnings',
        '  a.example  mx.a.example [2001:db8::1]: certificate expires 2026-11-26T02:00:00.000Z (5 days left)',
        '  b.example  mx.b.example [192.0.2.2]: certificate changed aaaaaaaaaaaaaaaa… → bbbbbbbbbbbbbbbb…',
        '',
        'info',
        '  b.example  level up: may → verify',
        '',
      ].join('\n'),
    );
  });

  it('is only the counts line when nothing changed, in the singular for one domain', () => {
    expect(renderDiffText([], { compared: 1 })).toBe('0 regressions, 0 warnings, 0 info (1 domain compared)\n');
  });

  it('escapes what came from the network, so no line can be forged', () => {
    const evil: Change = { domain: 'x.example', type: 'mx-changed', severity: 'warning', details: { added: ['mx.x.example\nregressions\n  y.example  level up', 'a\u202eb'], removed: [] } };
    const text = renderDiffText([evil], { compared: 1 });
    expect(text.split('\n')).toHaveLength(5);
    expect(text).toContain('added mx.x.example\\x0aregressions\\x0a  y.example  level up, a\\u202eb');
  });

  it('paints the headings only when asked', () => {
    expect(renderDiffText(changes, { compared: 3 })).not.toContain('\u001b[');
    expect(renderDiffText(changes, { compared: 3, color: true })).toContain('\u001b[31m\u001b[1mregressions');
  });
});

describe('renderDiffText wording', () => {
  const line = (change: Change): string => renderDiffText([change], { compared: 1 }).split('\n')[3] ?? '';
  const d = 'a.example';

  const cases: Array<[Change, string]> = [
    [{ domain: d, type: 'became-unknown', severity: 'warning', details: { from: 'line', level: 'verify', carriedOver: false } }, 'unknown now (was verify); no line written'],
    [{ domain: d, type: 'became-unknown', severity: 'warning', details: { from: 'line', level: 'verify', carriedOver: true } }, 'unknown now (was verify); line carried over'],
    [{ domain: d, type: 'kind-changed', severity: 'warning', details: { from: 'line', to: 'no-mail', fromLevel: 'encrypt' } }, 'policy: encrypt → no mail'],
    [{ domain: d, type: 'kind-changed', severity: 'info', details: { from: 'unknown', to: 'line', toLevel: 'may' } }, 'policy: unknown → may'],
    [{ domain: d, type: 'mx-changed', severity: 'warning', details: { added: ['mx3.a.example'], removed: ['mx1.a.example', 'mx2.a.example'] } }, 'MX hosts changed: added mx3.a.example; removed mx1.a.example, mx2.a.example'],
    [{ domain: d, type: 'starttls-gained', severity: 'info', details: { host: 'mx.a.example', from: 'some', to: 'all' } }, 'mx.a.example: STARTTLS gained: offered by some → all of its addresses'],
    [{ domain: d, type: 'certificate-expired', severity: 'regression', details: { host: 'mx.a.example', address: '192.0.2.1', notAfter: '2026-11-20T00:00:00.000Z', wasVerified: true } }, 'mx.a.example [192.0.2.1]: certificate expired 2026-11-20T00:00:00.000Z (was verified last run)'],
    [{ domain: d, type: 'certificate-expiring', severity: 'warning', details: { host: 'mx.a.example', address: '192.0.2.1', notAfter: '2026-11-22T00:00:00.000Z', daysLeft: 1 } }, 'mx.a.example [192.0.2.1]: certificate expires 2026-11-22T00:00:00.000Z (1 day left)'],
    [{ domain: d, type: 'new-failure', severity: 'warning', details: { host: 'mx.a.example', address: '192.0.2.1', failure: 'connect-timeout', observation: 'not-observed' } }, 'mx.a.example [192.0.2.1]: now fails: connect-timeout (not observed)'],
    [{ domain: d, type: 'domain-new', severity: 'info', details: { kind: 'no-mail' } }, 'new domain (no mail)'],
    [{ domain: d, type: 'domain-gone', severity: 'info', details: { kind: 'line', level: 'verify', scannedAt: '2026-11-20T02:00:00.000Z' } }, 'not in this run (was verify, scanned 2026-11-20T02:00:00.000Z)'],
  ];
  it.each(cases.map(([change, text]) => [change.type, change, text] as const))('%s', (_type, change, text) => {
    expect(line(change)).toBe(`  a.example  ${text}`);
  });
});

describe('DiffSummary, fed one change at a time (issue 16 item 4)', () => {
  it('shows the same first 1000 rows per severity as sorting every change, however they arrive', () => {
    // 5000 changes out of order (past the cut-back at 2000), with ties: two addresses of one domain.
    const all: Change[] = Array.from({ length: 5000 }, (_, i) => {
      const n = (i * 7919) % 2500;
      return { domain: `d${String(n).padStart(4, '0')}.example`, type: 'certificate-changed', severity: 'warning', details: { host: `mx${i}.example`, address: '192.0.2.1', from: 'a', to: 'b' } };
    });
    const summary = new DiffSummary();
    for (const change of all) summary.add(change);
    const sortedAll = [...all].sort(bySeverityThenDomain);
    const text = summary.text({ compared: 5000 });
    const rows = text.split('\n').filter((l) => l.includes('certificate changed'));
    expect(rows).toHaveLength(1000);
    expect(rows.map((r) => /mx\d+\.example/.exec(r)![0])).toEqual(sortedAll.slice(0, 1000).map((c) => (c.details as { host: string }).host));
    expect(text).toContain('  … and 4000 more (every change: --format diff)');
    expect(summary.regressions()).toBe(0);
  });
});

describe('diffNdjsonLine', () => {
  it('writes one object per change: domain, type, severity, details', () => {
    const lines = changes.map(diffNdjsonLine);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(JSON.parse(lines[2]!)).toEqual({ domain: 'c.example', type: 'starttls-lost', severity: 'regression', details: { host: 'mx.c.example', from: 'all', to: 'none' } });
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['domain', 'type', 'severity', 'details']);
  });

  it('sanitises strings from the network, keeps numbers and booleans', () => {
    const change: Change = { domain: 'x.example', type: 'certificate-expired', severity: 'warning', details: { host: 'mx\u001b[2J.x.example', address: '192.0.2.1', notAfter: '2026-11-20T00:00:00.000Z', wasVerified: false } };
    expect(JSON.parse(diffNdjsonLine(change)).details).toEqual({ host: 'mx\\x1b[2J.x.example', address: '192.0.2.1', notAfter: '2026-11-20T00:00:00.000Z', wasVerified: false });
    const arrays: Change = { domain: 'x.example', type: 'mx-changed', severity: 'warning', details: { added: ['a\u2028b'], removed: [] } };
    expect(JSON.parse(diffNdjsonLine(arrays)).details.added).toEqual(['a\\u2028b']);
  });
});

describe('countBySeverity', () => {
  it('counts each severity', () => {
    expect(countBySeverity(changes)).toEqual({ regression: 3, warning: 2, info: 1 });
  });
});

describe('renderDiffText for a list that lost most of its domains (issue 16 item 4)', () => {
  it('lists at most 1000 rows per severity and says how many more there are', () => {
    const gone: Change[] = Array.from({ length: 1500 }, (_, i) => ({
      domain: `d${String(i).padStart(4, '0')}.example`,
      type: 'domain-gone',
      severity: 'info',
      details: { kind: 'line', level: 'may', scannedAt: '2026-11-20T02:00:00.000Z' },
    }));
    const text = renderDiffText(gone, { compared: 0 });
    expect(text).toMatch(/^0 regressions, 0 warnings, 1500 info/);
    expect(text.split('\n').filter((l) => l.includes('not in this run'))).toHaveLength(1000);
    expect(text).toContain('  … and 500 more (every change: --format diff)');
    expect(text).toContain('d0999.example');
    expect(text).not.toContain('d1000.example');
  });
});
