import { describe, expect, it } from 'vitest';
import { perSiteValueFor, renderPerSiteFile } from '../../../src/output/per-site.js';
import type { PolicyLevel } from '../../../src/types.js';
import { address, host, probe, rec, sampleItems, scanned } from '../../helpers/output-fixtures.js';

const meta = { version: '1.2.0', generatedAt: '2026-11-21T02:00:00Z' };

const allVerified = scanned('example.com', [
  host('mx1.example.com', 10, [address('verified', probe('mx1.example.com', '192.0.2.1'))]),
]);
const domainNameOnly = scanned('example.com', [
  host('mx1.example.com', 10, [address('name-mismatch', probe('mx1.example.com', '192.0.2.1'))]),
]);

describe('perSiteValueFor', () => {
  it.each<[PolicyLevel, string]>([
    ['none', 'NONE'],
    ['may', 'MAY'],
    ['encrypt', 'MUST_NOPEERMATCH'],
    ['verify', 'MUST'],
    ['dane', 'MAY'],
    ['dane-only', 'MUST_NOPEERMATCH'],
    ['fingerprint', 'MUST_NOPEERMATCH'],
  ])('%s → %s', (level, expected) => {
    expect(perSiteValueFor(level, allVerified)).toBe(expected);
  });

  it('secure → MUST only when every observed host verified against its own name', () => {
    expect(perSiteValueFor('secure', allVerified)).toBe('MUST');
    expect(perSiteValueFor('secure', domainNameOnly)).toBe('MUST_NOPEERMATCH');
  });
});

describe('renderPerSiteFile', () => {
  it('writes legacy values with the policy file comment style', () => {
    expect(renderPerSiteFile(meta, sampleItems())).toBe(
      [
        '# mxtls 1.2.0 smtp_tls_per_site, 2026-11-21T02:00:00Z, 5 domains',
        '# the legacy table cannot express dane, dane-only or secure (nor match= and other attributes): such domains get the closest value that delivers, listed at the end',
        '# example.com: 2/2 MX addresses verified (mx1.example.com TLSv1.3, TLS_AES_256_GCM_SHA384)',
        'example.com     MUST',
        '# example.io: mail.example.io: certificate not trusted (self-signed); encrypting without certificate checks',
        'example.io      MUST_NOPEERMATCH',
        '# example.net: mx.example.net: offers no STARTTLS; staying opportunistic',
        'example.net     MAY',
        '# example.org: unknown (none of 1 MX addresses could be observed: connect-timeout); no line written',
        '#   warning: mx.example.org [192.0.2.30]: not observed (connect-timeout at connect, ETIMEDOUT)',
        '# example.edu: accepts no mail (null MX, RFC 7505)',
        '# downgraded: none',
        '# end: 5 domains: 1 accept no mail, 1 encrypt, 1 may, 1 unknown, 1 verify',
        '',
      ].join('\n'),
    );
  });

  it('lists at the end every domain the legacy table weakened, and only those', () => {
    const text = renderPerSiteFile(meta, [
      { result: domainNameOnly, rec: rec('example.com', { level: 'secure', attributes: { match: '.example.com' } }) },
      { result: { ...allVerified, domain: 'example.net' }, rec: rec('example.net', { level: 'dane-only' }) },
      { result: { ...allVerified, domain: 'example.org' }, rec: rec('example.org', { level: 'dane' }) },
      { result: { ...allVerified, domain: 'example.edu' }, rec: rec('example.edu', { level: 'verify' }) },
    ]);
    expect(text).toContain(
      [
        '# downgraded: 3 domains',
        '#   example.com: secure match= written as MUST_NOPEERMATCH',
        '#   example.net: dane-only written as MUST_NOPEERMATCH',
        '#   example.org: dane written as MAY',
        '# end: ',
      ].join('\n'),
    );
    expect(text.split('\n')[1]).toBe('# the legacy table cannot express dane, dane-only or secure (nor match= and other attributes): such domains get the closest value that delivers, listed at the end');
  });

  it('says so when the translation loses a level or an attribute', () => {
    const text = renderPerSiteFile(meta, [
      { result: domainNameOnly, rec: rec('example.com', { level: 'secure', attributes: { match: '.example.com' } }) },
    ]);
    expect(text).toContain('#   note: legacy table cannot express secure, match=; MUST_NOPEERMATCH is the closest that delivers\nexample.com     MUST_NOPEERMATCH\n');
  });

  it('never writes an invalid key', () => {
    const text = renderPerSiteFile(meta, [{ result: allVerified, rec: rec('example.com\nevil.com', { level: 'none' }) }]);
    expect(text).not.toMatch(/^evil/m);
    expect(text).not.toMatch(/NONE/);
  });
});
