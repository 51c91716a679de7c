import { describe, expect, it } from 'vitest';
import { recommendPolicy } from '../../src/policy/recommend.js';
import type { AddressDane, DomainResult, HostDane, MtaStsReport } from '../../src/types.js';
import { type Behaviour, domainResult, type HostSpec } from '../helpers/result-builder.js';
import { words } from '../helpers/words.js';

type DaneSpec = { host: HostDane['status']; usable?: number; match?: boolean[] };

const tlsa = (usable = 1): HostDane => ({
  status: 'tlsa',
  tlsaName: '_25._tcp.mx',
  records: [{ usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) }],
  usable,
});

/** A result whose hosts carry DANE findings as the scanner would record them. */
function withDane(hosts: (HostSpec & { dane: DaneSpec })[], extra: Partial<DomainResult> = {}): DomainResult {
  const r = domainResult('a.test', hosts);
  r.hosts.forEach((h, i) => {
    const spec = hosts[i]!.dane;
    h.dane = spec.host === 'tlsa' ? tlsa(spec.usable) : { status: spec.host, records: [], usable: 0, detail: 'why' };
    if (spec.host !== 'tlsa' || (spec.usable ?? 1) === 0) return;
    h.addresses.forEach((a, j) => {
      if (a.observation === 'not-observed') return;
      const matched = spec.match?.[j] ?? true;
      const dane: AddressDane = matched ? { matched, by: { usage: 3, selector: 1, matchingType: 1, depth: 0 } } : { matched, failure: a.probe.tls ? 'no-match' : 'no-tls' };
      a.dane = dane;
    });
  });
  return { ...r, dnssec: 'secure', ...extra };
}

const one = (addresses: Behaviour[], dane: DaneSpec, name = 'mx.a.test') => ({ name, addresses, dane });

describe('DANE in the recommendation', () => {
  it('every MX host matches its TLSA: dane-only, whatever PKIX says', () => {
    const rec = recommendPolicy(withDane([one(['untrusted'], { host: 'tlsa' }), one(['verified', 'verified'], { host: 'tlsa' }, 'mx2.a.test')]));
    expect([rec.kind, rec.level]).toEqual(['line', 'dane-only']);
    expect(words(rec).reasons[0]).toMatch(/every MX host matches its DNSSEC-validated TLSA: mx\.a\.test matches its TLSA \(DANE-EE 3 1 1\)/);
    expect(words(rec).reasons[1]).toMatch(/^without DANE: encrypt/);
  });

  it('only some hosts publish TLSA: dane, not verify (verify would ignore the TLSA)', () => {
    const rec = recommendPolicy(withDane([one(['verified'], { host: 'tlsa' }), one(['verified'], { host: 'no-tlsa' }, 'mx2.a.test')]));
    expect(rec.level).toBe('dane');
    expect(words(rec).reasons[0]).toMatch(/mx2\.a\.test has no TLSA that counts/);
  });

  it('validated TLSA that do not match: dane and a loud alert per address', () => {
    const rec = recommendPolicy(withDane([one(['verified', 'verified'], { host: 'tlsa', match: [true, false] })]));
    expect(rec.level).toBe('dane');
    expect(words(rec).warnings.filter((w) => w.startsWith('ALERT:'))).toEqual([
      expect.stringMatching(/^ALERT: mx\.a\.test \[192\.0\.2\.2\]: DNSSEC-validated TLSA at _25\._tcp\.mx \(3 1 1 (AB)+\) but its certificate does not match \(no-match\)/),
    ]);
  });

  it('a TLSA host without STARTTLS is a mismatch, never may', () => {
    const rec = recommendPolicy(withDane([one(['no-starttls'], { host: 'tlsa', match: [false] })]));
    expect(rec.level).toBe('dane');
    expect(words(rec).warnings.join()).toMatch(/ALERT: .*it offers no working TLS/);
  });

  it('TLSA records none of which is usable: dane (TLS without authentication)', () => {
    const rec = recommendPolicy(withDane([one(['untrusted'], { host: 'tlsa', usable: 0 })]));
    expect(rec.level).toBe('dane');
    expect(words(rec).reasons[0]).toMatch(/none usable on port 25/);
  });

  it('a failed TLSA lookup: unknown, no line either way', () => {
    const rec = recommendPolicy(withDane([one(['verified'], { host: 'tlsa' }), one(['verified'], { host: 'failed' }, 'mx2.a.test')]));
    expect([rec.kind, rec.level]).toEqual(['unknown', undefined]);
    expect(words(rec).reasons[0]).toMatch(/^unknown \(mx2\.a\.test: why\); no line written$/);
  });

  it('an unobserved TLSA host keeps dane (default) or is left out with --partial=observed', () => {
    const r = withDane([one(['verified'], { host: 'tlsa' }), one(['refused'], { host: 'tlsa' }, 'mx2.a.test')]);
    expect(recommendPolicy(r).level).toBe('dane');
    const observed = recommendPolicy(r, { partial: 'observed' });
    expect(observed.level).toBe('dane-only');
    expect(words(observed).warnings.join()).toMatch(/--partial=observed: mx2\.a\.test not observed/);
  });

  it('no TLSA that counts anywhere: the PKIX line stands', () => {
    const rec = recommendPolicy(withDane([one(['verified'], { host: 'not-applicable' }), one(['verified'], { host: 'insecure-tlsa' }, 'mx2.a.test')]));
    expect(rec.level).toBe('verify');
  });

  it('DANE wins over an MTA-STS policy in enforce mode (RFC 8461 §2)', () => {
    const mtaSts: MtaStsReport = { status: 'ok', id: 'i1', policy: { mode: 'enforce', mx: ['mx.a.test'], maxAge: 86400 } };
    const rec = recommendPolicy(withDane([one(['verified'], { host: 'tlsa' })], { mtaSts }));
    expect([rec.level, rec.attributes]).toEqual(['dane-only', {}]);
    expect(words(rec).reasons.join('\n')).toMatch(/MTA-STS enforce \(id i1\) also published; DANE takes precedence/);
  });

  it('never a PKIX level for a domain with a usable TLSA host, whatever the hosts do', () => {
    const behaviours: Behaviour[] = ['verified', 'untrusted', 'mismatch', 'no-starttls', 'starttls-454', 'handshake-fail', 'legacy', 'refused'];
    for (const b1 of behaviours) {
      for (const b2 of behaviours) {
        for (const matched of [true, false]) {
          const hosts = [one([b1], { host: 'tlsa', match: [matched && !!['verified', 'untrusted', 'mismatch', 'legacy'].includes(b1)] }), one([b2], { host: 'no-tlsa' }, 'mx2.a.test')];
          const rec = recommendPolicy(withDane(hosts));
          if (rec.kind === 'line') expect(['dane', 'dane-only'], `${b1} ${b2} ${matched}`).toContain(rec.level);
        }
      }
    }
  });
});
