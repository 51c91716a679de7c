import { describe, expect, it } from 'vitest';
import { recommendPolicy } from '../../src/policy/recommend.js';
import type { PolicyLevel, PolicyOptions } from '../../src/types.js';
import { type Behaviour, dnsOnlyResult, domainResult, type HostSpec } from '../helpers/result-builder.js';
import { words } from '../helpers/words.js';

const noRecords = { records: [], cnames: [], authenticated: false };

interface Case {
  name: string;
  hosts: HostSpec[];
  options?: Partial<PolicyOptions>;
  kind: 'line' | 'unknown';
  level?: PolicyLevel;
  reason?: RegExp;
  warning?: RegExp;
}

const cases: Case[] = [
  { name: 'every address verified', hosts: [{ name: 'mx1.a.test', addresses: ['verified', 'verified'] }], kind: 'line', level: 'verify', reason: /2\/2 MX addresses verified/ },
  { name: 'self-signed', hosts: [{ name: 'mx.a.test', addresses: ['untrusted'] }], kind: 'line', level: 'encrypt', reason: /not trusted \(self-signed\)/ },
  { name: 'trusted, wrong name', hosts: [{ name: 'mx.a.test', addresses: ['mismatch'] }], kind: 'line', level: 'encrypt', reason: /does not match the MX name/ },
  { name: 'wrong MX name but matches the domain', hosts: [{ name: 'mx.a.test', addresses: ['mismatch-nexthop'] }], kind: 'line', level: 'encrypt', warning: /would pass "secure"/ },
  { name: 'no STARTTLS', hosts: [{ name: 'mx.a.test', addresses: ['no-starttls'] }], kind: 'line', level: 'may', reason: /offers no STARTTLS; staying opportunistic/ },
  { name: 'STARTTLS answered 454', hosts: [{ name: 'mx.a.test', addresses: ['starttls-454'] }], kind: 'line', level: 'may', warning: /STARTTLS offered but TLS fails/ },
  { name: 'handshake fails', hosts: [{ name: 'mx.a.test', addresses: ['handshake-fail'] }], kind: 'line', level: 'may', warning: /tls-handshake-failed/ },
  { name: 'legacy TLS only', hosts: [{ name: 'mx.a.test', addresses: ['legacy'] }], kind: 'line', level: 'may', warning: /only legacy TLS/ },
  { name: 'one of two MX lacks STARTTLS', hosts: [{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'mx2.a.test', addresses: ['no-starttls'] }], kind: 'line', level: 'may', reason: /mx2\.a\.test: offers no STARTTLS/ },
  { name: 'weakest address of one host decides', hosts: [{ name: 'mx.a.test', addresses: ['verified', 'untrusted'] }], kind: 'line', level: 'encrypt' },
  { name: 'an unobserved MX caps at may', hosts: [{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'mx2.a.test', addresses: ['refused'] }], kind: 'line', level: 'may', reason: /mx2\.a\.test not observed.*capped at may \(would be verify\)/ },
  { name: '--partial=observed ignores it, with a warning', options: { partial: 'observed' }, hosts: [{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'mx2.a.test', addresses: ['timeout'] }], kind: 'line', level: 'verify', warning: /--partial=observed: mx2\.a\.test not observed/ },
  { name: 'a host observed on one address counts', hosts: [{ name: 'mx.a.test', addresses: ['verified', 'timeout'] }], kind: 'line', level: 'verify' },
  { name: 'an unreachable address family does not count', hosts: [{ name: 'mx.a.test', addresses: ['verified', 'unreachable'] }], kind: 'line', level: 'verify' },
  { name: 'a host reachable only over an unreachable family is unobserved', hosts: [{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'mx6.a.test', addresses: ['unreachable'] }], kind: 'line', level: 'may' },
  { name: 'a host without any address is skipped by Postfix too', hosts: [{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'gone.a.test', addresses: [] }], kind: 'line', level: 'verify', warning: /gone\.a\.test has no A\/AAAA record/ },
  { name: 'a host whose address lookup failed caps', hosts: [{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'flaky.a.test', addresses: [], lookup: 'failed' }], kind: 'line', level: 'may' },
  { name: 'nothing observed', hosts: [{ name: 'mx.a.test', addresses: ['refused', 'timeout'] }], kind: 'unknown', reason: /unknown \(none of 2 MX addresses could be observed: connect-refused, greeting-timeout\)/ },
  { name: 'the only MX has no address', hosts: [{ name: 'mx.a.test', addresses: [] }], kind: 'unknown', reason: /no MX host has an address/ },
  { name: '--mixed=strongest takes the best preferred host', options: { mixed: 'strongest' }, hosts: [{ name: 'mx1.a.test', preference: 10, addresses: ['verified'] }, { name: 'backup.a.test', preference: 20, addresses: ['no-starttls'] }], kind: 'line', level: 'verify', warning: /Postfix would skip backup\.a\.test \(may\)/ },
  { name: '--mixed=weakest is the default', hosts: [{ name: 'mx1.a.test', preference: 10, addresses: ['verified'] }, { name: 'backup.a.test', preference: 20, addresses: ['untrusted'] }], kind: 'line', level: 'encrypt' },
];

describe('recommendPolicy', () => {
  it.each(cases)('$name', (c) => {
    const rec = recommendPolicy(domainResult('a.test', c.hosts), c.options);
    expect(rec.kind).toBe(c.kind);
    expect(rec.level).toBe(c.level);
    if (c.reason) expect(words(rec).reasons[0]).toMatch(c.reason);
    if (c.warning) expect(words(rec).warnings.join('\n')).toMatch(c.warning);
  });

  it.each([
    ['nxdomain', { status: 'nxdomain' as const, mx: { status: 'nxdomain' as const, ...noRecords } }, 'no-mail', /does not exist/],
    ['null MX', { status: 'null-mx' as const, mx: { status: 'ok' as const, ...noRecords } }, 'no-mail', /null MX/],
    ['no mail host', { status: 'no-mail-host' as const, mx: { status: 'nodata' as const, ...noRecords } }, 'no-mail', /no MX and no A\/AAAA/],
    ['SERVFAIL', { status: 'dns-error' as const, reason: 'servfail' as const, mx: { status: 'servfail' as const, ...noRecords } }, 'unknown', /MX lookup servfail/],
    ['timeout', { status: 'dns-error' as const, reason: 'timeout' as const, mx: { status: 'timeout' as const, ...noRecords } }, 'unknown', /MX lookup timeout/],
  ])('%s writes no line', (_n, mx, kind, reason) => {
    const rec = recommendPolicy(dnsOnlyResult('a.test', mx));
    expect(rec.kind).toBe(kind);
    expect(rec.level).toBeUndefined();
    expect(words(rec).reasons[0]).toMatch(reason);
  });

  describe('reasons are facts with parameters, the words come later', () => {
    it('a cap states the capped hosts and the level it would be, then the fact it capped', () => {
      const rec = recommendPolicy(domainResult('a.test', [{ name: 'mx1.a.test', addresses: ['verified'] }, { name: 'mx2.a.test', addresses: ['refused'] }]));
      expect(rec.summary).toEqual({ code: 'unobserved-capped', hosts: ['mx2.a.test'], wouldBe: 'verify' });
      expect(rec.reasons).toEqual([expect.objectContaining({ code: 'verified', verified: 1, addresses: 2, host: 'mx1.a.test' })]);
      expect(rec.warnings).toEqual([{ code: 'address-not-observed', host: 'mx2.a.test', address: expect.any(String), failure: expect.objectContaining({ kind: 'connect-refused', stage: 'connect' }) }]);
    });

    it('the weakest host names its observation and what it lacks', () => {
      const rec = recommendPolicy(domainResult('a.test', [{ name: 'mx.a.test', addresses: ['untrusted'] }]));
      expect(rec.summary).toEqual({ code: 'weakest-host', host: 'mx.a.test', observation: 'untrusted', level: 'encrypt', trust: 'self-signed' });
    });

    it('an unknown domain says no line is written in its words only, not in its fact', () => {
      const rec = recommendPolicy(dnsOnlyResult('a.test', { status: 'dns-error', reason: 'timeout', mx: { status: 'timeout', ...noRecords } }));
      expect(rec.summary).toEqual({ code: 'mx-lookup-failed', status: 'timeout' });
      expect(words(rec).reasons).toEqual(['unknown (MX lookup timeout); no line written']);
    });
  });

  // The promise of POLICY.md: never a level stronger than every observed host supports.
  it('never recommends more than the weakest observed host supports, over every combination', () => {
    const kinds: Behaviour[] = ['verified', 'untrusted', 'mismatch', 'no-starttls', 'starttls-454', 'legacy', 'refused'];
    const max: Record<Behaviour, number> = { verified: 2, untrusted: 1, mismatch: 1, 'mismatch-nexthop': 1, 'no-starttls': 0, 'starttls-454': 0, 'handshake-fail': 0, legacy: 0, refused: -1, timeout: -1, unreachable: -1 };
    const rank: Record<string, number> = { may: 0, encrypt: 1, verify: 2 };
    let checked = 0;
    for (const a of kinds) for (const b of kinds) for (const c of kinds) {
      const rec = recommendPolicy(domainResult('a.test', [{ name: 'mx1.a.test', addresses: [a, b] }, { name: 'mx2.a.test', addresses: [c] }]));
      const host1 = [a, b].filter((x) => max[x] >= 0).map((x) => max[x]);
      const hostLimits = [host1.length ? Math.min(...host1) : -1, max[c]];
      if (hostLimits.every((l) => l < 0)) {
        expect(rec.kind).toBe('unknown');
        continue;
      }
      // An unobserved host (-1) caps at may (0).
      const allowed = Math.max(0, Math.min(...hostLimits.map((l) => (l < 0 ? 0 : l))));
      expect(rank[rec.level!]).toBe(allowed);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });
});
