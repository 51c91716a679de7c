import { describe, expect, it } from 'vitest';
import type { ChangeType, Severity } from '../../src/diff/change.js';
import { compareDomain, goneDomains } from '../../src/diff/compare.js';
import { DiffSession } from '../../src/diff/session.js';
import { DAY_MS, dnsError, inDays, mxAddress, mxHost, noMail, NOW, scan, snap, type Scan } from '../helpers/diff-fixtures.js';
import { host } from '../helpers/output-fixtures.js';

const options = { now: NOW, expiryWarnDays: 14 };
const D = 'example.com';
const YESTERDAY = inDays(-1);

const verify = { level: 'verify' as const };
const encrypt = { level: 'encrypt' as const };
const may = { level: 'may' as const };
const unknown = { kind: 'unknown' as const, level: undefined };
/** What carryOver (src/policy/carry-over.ts) makes of an inconclusive scan. */
const carried = (line: { level: 'verify' }) => ({ ...line, carriedOverFrom: inDays(-2) });

/** A domain with one MX host, mx1.example.com, and the given line; previous runs are dated yesterday. */
function before(hosts: Parameters<typeof scan>[1], policy: Parameters<typeof scan>[2]): Scan {
  return scan(D, hosts, policy, YESTERDAY);
}
function now(hosts: Parameters<typeof scan>[1], policy: Parameters<typeof scan>[2]): Scan {
  return scan(D, hosts, policy);
}
const mx1 = (...does: Parameters<typeof mxHost>[1]) => mxHost('mx1.example.com', does);

type Expected = [ChangeType, Severity, Record<string, unknown>?];

const cases: Array<[string, Scan, Scan, Expected[]]> = [
  ['nothing changed', before([mx1('verified')], verify), now([mx1('verified')], verify), []],
  [
    'a self-signed certificate replaces a trusted one',
    before([mx1('verified')], verify),
    now([mxHost('mx1.example.com', ['self-signed'], { fp: 'b' })], encrypt),
    [
      ['level-down', 'regression', { from: 'verify', to: 'encrypt' }],
      ['certificate-changed', 'warning', { host: 'mx1.example.com', address: '192.0.2.1', from: 'a'.repeat(64), to: 'b'.repeat(64) }],
    ],
  ],
  [
    'STARTTLS appears',
    before([mx1('no-starttls')], may),
    now([mx1('verified')], verify),
    [
      ['level-up', 'info', { from: 'may', to: 'verify' }],
      ['starttls-gained', 'info', { host: 'mx1.example.com', from: 'none', to: 'all' }],
    ],
  ],
  [
    'the only address stops offering STARTTLS',
    before([mx1('verified')], verify),
    now([mx1('no-starttls')], may),
    [
      ['level-down', 'regression'],
      ['starttls-lost', 'regression', { from: 'all', to: 'none' }],
    ],
  ],
  [
    'one of two addresses stops offering STARTTLS, the line was may already',
    before([mx1('verified', 'verified'), mxHost('mx2.example.com', ['no-starttls'], {}, 20)], may),
    now([mx1('verified', 'no-starttls'), mxHost('mx2.example.com', ['no-starttls'], {}, 20)], may),
    [['starttls-lost', 'regression', { host: 'mx1.example.com', from: 'all', to: 'some' }]],
  ],
  [
    'the handshake now fails: a regression even before the line is looked at',
    before([mx1('verified')], verify),
    now([mx1('tls-failed')], may),
    [
      ['level-down', 'regression'],
      ['new-failure', 'regression', { failure: 'tls-handshake-failed', observation: 'tls-failed' }],
    ],
  ],
  ['the handshake failed yesterday too', before([mx1('tls-failed')], may), now([mx1('tls-failed')], may), []],
  [
    'the server stops answering: unknown, not weaker',
    before([mx1('verified')], verify),
    now([mx1('timeout')], unknown),
    [
      ['became-unknown', 'warning', { from: 'line', level: 'verify', carriedOver: false }],
      ['new-failure', 'warning', { failure: 'greeting-timeout', observation: 'not-observed' }],
    ],
  ],
  ['a server that never answered fails in another way', before([mx1('timeout')], unknown), now([mx1('refused')], unknown), []],
  [
    'an address family this machine lost says nothing about the server',
    before([host('mx1.example.com', 10, [mxAddress('verified', 'mx1.example.com', '192.0.2.1'), mxAddress('verified', 'mx1.example.com', '2001:db8::1')])], verify),
    now([host('mx1.example.com', 10, [mxAddress('verified', 'mx1.example.com', '192.0.2.1'), mxAddress('unreachable', 'mx1.example.com', '2001:db8::1')])], verify),
    [],
  ],
  ['known again after a DNS failure', dnsError(D), now([mx1('verified')], verify), [['kind-changed', 'info', { from: 'unknown', to: 'line', toLevel: 'verify' }]]],
  ['a DNS failure: unknown', before([mx1('verified')], verify), dnsError(D), [['became-unknown', 'warning', { from: 'line', level: 'verify', carriedOver: false }]]],
  ['an inconclusive scan wearing the earlier line (--previous) is unknown', before([mx1('verified')], verify), now([mx1('timeout')], carried(verify)), [
    ['became-unknown', 'warning', { from: 'line', level: 'verify', carriedOver: true }],
    ['new-failure', 'warning', { failure: 'greeting-timeout' }],
  ]],
  ['carried over again: said already', before([mx1('timeout')], carried(verify)), now([mx1('timeout')], carried(verify)), []],
  ['after a carried-over night, the next scan is compared with the line in force', before([mx1('timeout')], carried(verify)), now([mx1('no-starttls')], may), [
    ['level-down', 'regression', { from: 'verify', to: 'may' }],
  ]],
  ['stops accepting mail', before([mx1('verified')], verify), noMail(D), [['kind-changed', 'warning', { from: 'line', to: 'no-mail', fromLevel: 'verify' }]]],
  ['accepts mail again', noMail(D), now([mx1('verified')], verify), [['kind-changed', 'info', { from: 'no-mail', to: 'line' }]]],
  [
    'the MX set changes',
    before([mx1('verified'), mxHost('mx2.example.com', ['verified'], {}, 20)], verify),
    now([mxHost('mx3.example.com', ['verified']), mxHost('mx2.example.com', ['verified'], {}, 20)], verify),
    [['mx-changed', 'warning', { added: ['mx3.example.com'], removed: ['mx1.example.com'] }]],
  ],
  [
    'a certificate renewed in time',
    before([mx1('verified')], verify),
    now([mxHost('mx1.example.com', ['verified'], { fp: 'c', notAfter: inDays(90) })], verify),
    [['certificate-changed', 'warning', { from: 'a'.repeat(64), to: 'c'.repeat(64) }]],
  ],
  [
    'a certificate expiring soon, unchanged since yesterday',
    before([mxHost('mx1.example.com', ['verified'], { notAfter: inDays(6) })], verify),
    now([mxHost('mx1.example.com', ['verified'], { notAfter: inDays(5.5) })], verify),
    [['certificate-expiring', 'warning', { notAfter: inDays(5.5), daysLeft: 5 }]],
  ],
  [
    'expiry exactly at the end of the warning window',
    before([mx1('verified')], verify),
    now([mxHost('mx1.example.com', ['verified'], { notAfter: inDays(14) })], verify),
    [['certificate-expiring', 'warning', { daysLeft: 14 }]],
  ],
  ['expiry just after the warning window', before([mx1('verified')], verify), now([mxHost('mx1.example.com', ['verified'], { notAfter: new Date(NOW.getTime() + 14 * DAY_MS + 1).toISOString() })], verify), []],
  [
    'the certificate verify relied on has expired',
    before([mxHost('mx1.example.com', ['verified'], { notAfter: inDays(-0.5) })], verify),
    now([mxHost('mx1.example.com', ['expired'], { notAfter: inDays(-0.5) })], encrypt),
    [
      ['level-down', 'regression'],
      ['certificate-expired', 'regression', { notAfter: inDays(-0.5), wasVerified: true }],
    ],
  ],
  [
    'expires at this very moment, after the scan verified it',
    before([mx1('verified')], verify),
    now([mxHost('mx1.example.com', ['verified'], { notAfter: inDays(0) })], verify),
    [['certificate-expired', 'regression', { notAfter: inDays(0), wasVerified: true }]],
  ],
  [
    'still expired: reported, but the alert has fired already',
    before([mxHost('mx1.example.com', ['expired'], { notAfter: inDays(-3) })], encrypt),
    now([mxHost('mx1.example.com', ['expired'], { notAfter: inDays(-3) })], encrypt),
    [['certificate-expired', 'warning', { wasVerified: false }]],
  ],
  ['an expired self-signed certificate changes nothing for Postfix', before([mx1('self-signed')], encrypt), now([mxHost('mx1.example.com', ['self-signed'], { notAfter: inDays(-3) })], encrypt), []],
  ['verify → secure is up', before([mx1('verified')], verify), now([mx1('verified')], { level: 'secure' }), [['level-up', 'info', { from: 'verify', to: 'secure' }]]],
  ['dane-only → verify is down', before([mx1('verified')], { level: 'dane-only' }), now([mx1('verified')], verify), [['level-down', 'regression', { from: 'dane-only', to: 'verify' }]]],
  ['may → none is down', before([mx1('no-starttls')], may), now([mx1('no-starttls')], { level: 'none' }), [['level-down', 'regression', { from: 'may', to: 'none' }]]],
];

describe('compareDomain', () => {
  it.each(cases)('%s', (_name, previous, current, expected) => {
    const changes = compareDomain(snap(previous), snap(current), options);
    expect(changes).toEqual(
      expected.map(([type, severity, details]) =>
        expect.objectContaining({ domain: D, type, severity, details: expect.objectContaining(details ?? {}) }),
      ),
    );
  });

  it('a new domain is news, and its certificates are checked like any other', () => {
    const current = now([mxHost('mx1.example.com', ['verified'], { notAfter: inDays(2) })], verify);
    expect(compareDomain(undefined, snap(current), options)).toEqual([
      { domain: D, type: 'domain-new', severity: 'info', details: { kind: 'line', level: 'verify' } },
      expect.objectContaining({ type: 'certificate-expiring', severity: 'warning', details: expect.objectContaining({ daysLeft: 2, host: 'mx1.example.com' }) }),
    ]);
  });

  it('a warning window of 0 days reports expired certificates only', () => {
    const previous = snap(before([mx1('verified')], verify));
    const soon = snap(now([mxHost('mx1.example.com', ['verified'], { notAfter: inDays(1) })], verify));
    expect(compareDomain(previous, soon, { now: NOW, expiryWarnDays: 0 })).toEqual([]);
    expect(compareDomain(previous, soon, { now: NOW, expiryWarnDays: 1 })).toHaveLength(1);
  });
});

describe('goneDomains', () => {
  it('lists the previous domains this run did not see, with their last line and scan time', () => {
    const previous = new Map(
      [before([mx1('verified')], verify), { ...noMail('b.example'), result: { ...noMail('b.example').result, startedAt: YESTERDAY } }, dnsError('c.example')]
        .map(snap)
        .map((s) => [s.domain, s] as const),
    );
    const gone = goneDomains(previous, new Set([D, 'not-before.example']));
    expect(gone).toEqual([
      { domain: 'b.example', type: 'domain-gone', severity: 'info', details: { kind: 'no-mail', scannedAt: YESTERDAY } },
      { domain: 'c.example', type: 'domain-gone', severity: 'info', details: { kind: 'unknown', scannedAt: expect.any(String) } },
    ]);
    expect(goneDomains(previous, new Set([D, 'b.example', 'c.example']))).toEqual([]);
  });
});

describe('DiffSession.gone with most of a large list gone (issue 16 item 4)', () => {
  it('yields 300,000 gone domains one at a time, dropping each snapshot as its change is made', () => {
    const one = snap(scan('gone.example', [], { kind: 'line', level: 'may' }));
    const snapshots = new Map(Array.from({ length: 300_000 }, (_, i) => [`d${i}.example`, { ...one, domain: `d${i}.example` }] as const));
    const session = new DiffSession({ snapshots, lines: snapshots.size, badLines: 0 }, 30);
    const gone = session.gone();
    expect(gone.next().value).toEqual({ domain: 'd0.example', type: 'domain-gone', severity: expect.any(String), details: { kind: 'line', level: 'may', scannedAt: new Date(one.scannedAt).toISOString() } });
    expect(snapshots.size).toBe(299_999);
    let rest = 0;
    for (const change of gone) if (change.type === 'domain-gone') rest++;
    expect(rest).toBe(299_999);
    expect(snapshots.size).toBe(0);
    expect(session.summary()).toMatch(/^0 regressions, 0 warnings, 300000 info \(0 domains compared\)\n/);
  });
});
