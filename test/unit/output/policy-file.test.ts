import { describe, expect, it } from 'vitest';
import { createPolicyWriter, renderPolicyFile } from '../../../src/output/policy-file.js';
import { address, host, probe, rec, sampleItems, scanned, tls, cert } from '../../helpers/output-fixtures.js';

const meta = { version: '1.2.0', generatedAt: new Date('2026-11-21T02:00:00.123Z'), resolvers: ['127.0.0.1'] };

/** Lines Postfix would read as table entries: not comments, not blank. */
function entries(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

/** Every line must start with '#' or a key: a leading blank continues the previous entry. */
function expectNoContinuationLines(text: string): void {
  for (const line of text.split('\n')) expect(line).not.toMatch(/^\s/);
}

describe('renderPolicyFile', () => {
  it('writes the header, a comment per domain and a line only where there is a level', () => {
    const text = renderPolicyFile(meta, sampleItems());
    expect(text).toBe(
      [
        '# mxtls 1.2.0 policy for Postfix 2.11-3.9, 2026-11-21T02:00:00Z, 5 domains, resolver 127.0.0.1',
        '# example.com: 2/2 MX addresses verified (mx1.example.com TLSv1.3, TLS_AES_256_GCM_SHA384)',
        'example.com     verify',
        '# example.io: mail.example.io: certificate not trusted (self-signed); encrypting without certificate checks',
        'example.io      encrypt',
        '# example.net: mx.example.net: offers no STARTTLS; staying opportunistic',
        'example.net     may',
        '# example.org: unknown (none of 1 MX addresses could be observed: connect-timeout); no line written',
        '#   warning: mx.example.org [192.0.2.30]: not observed (connect-timeout at connect, ETIMEDOUT)',
        '# example.edu: accepts no mail (null MX, RFC 7505)',
        '# end: 5 domains: 1 accept no mail, 1 encrypt, 1 may, 1 unknown, 1 verify',
        '',
      ].join('\n'),
    );
  });

  it('omitMay replaces the may line with a comment, never silently', () => {
    const text = renderPolicyFile({ ...meta, omitMay: true }, sampleItems());
    expect(entries(text)).toEqual(['example.com     verify', 'example.io      encrypt']);
    expect(text).toContain('# example.net: may (omitted: matches smtp_tls_security_level = may)\n');
  });

  it('keeps a may line that carries attributes even with omitMay', () => {
    const [item] = sampleItems();
    const text = renderPolicyFile({ ...meta, omitMay: true }, [
      { result: item!.result, rec: rec('example.com', { level: 'may', attributes: { protocols: '>=TLSv1.2' } }) },
    ]);
    expect(entries(text)).toEqual(['example.com     may protocols=>=TLSv1.2']);
  });

  it('writes attributes and aligns values to the longest key', () => {
    const [item] = sampleItems();
    const text = renderPolicyFile(meta, [
      { result: item!.result, rec: rec('example.com', { level: 'secure', attributes: { match: '.example.com:example.com' } }) },
      { result: { ...item!.result, domain: 'a-much-longer-name.example.com' }, rec: rec('a-much-longer-name.example.com', { level: 'verify', summary: { code: 'verified', verified: 1, addresses: 1 } }) },
    ]);
    expect(entries(text)).toEqual([
      'example.com                     secure match=.example.com:example.com',
      'a-much-longer-name.example.com  verify',
    ]);
  });

  it('says above each dane line what Postfix needs for it', () => {
    const [item] = sampleItems();
    const text = renderPolicyFile(meta, [
      { result: item!.result, rec: rec('example.com', { level: 'dane-only', summary: { code: 'dane-all-match', hosts: [{ host: 'mx.example.com', verdict: 'matched' }] } }) },
      { result: { ...item!.result, domain: 'example.net' }, rec: rec('example.net', { level: 'verify', summary: { code: 'verified', verified: 1, addresses: 1 } }) },
    ]);
    expect(text).toContain('# example.com: every MX host matches its DNSSEC-validated TLSA: mx.example.com matches its TLSA\n#   note: dane levels need smtp_dns_support_level = dnssec and a DNSSEC-validating resolver\nexample.com     dane-only\n');
    expect(text).toContain('# example.net: 1/1 MX addresses verified\nexample.net     verify\n');
  });

  it('counts one domain in the singular and names the input when it differs', () => {
    const [item] = sampleItems();
    const text = renderPolicyFile(meta, [{ result: { ...item!.result, domain: 'xn--bcher-kva.example', input: 'bücher.example' }, rec: rec('xn--bcher-kva.example', { level: 'verify', summary: { code: 'verified', verified: 1, addresses: 1 } }) }]);
    expect(text).toContain(', 1 domain, ');
    expect(text).toContain('# xn--bcher-kva.example (bücher.example): 1/1 MX addresses verified\n');
  });
});

describe('no data can create a line', () => {
  const evil = 'mx.example.com\nevil.com none';

  it('a malicious MX name in a reason or warning stays inside its comment', () => {
    const result = scanned('example.com', [host(evil, 10, [address('verified', probe(evil, '192.0.2.1'))])]);
    const text = renderPolicyFile(meta, [
      { result, rec: rec('example.com', { level: 'verify', summary: { code: 'verified', verified: 1, addresses: 1, host: evil }, warnings: [{ code: 'host-lookup-failed', host: `${evil}\r\nevil.org none` }, { code: 'host-no-address', host: 'a\u2028b\u0085c' }] }) },
    ]);
    expect(entries(text)).toEqual(['example.com     verify']);
    expectNoContinuationLines(text);
    expect(text).toContain('# example.com: 1/1 MX addresses verified (mx.example.com\\x0aevil.com none no TLS)\n');
  });

  it('a malicious certificate SAN that reached a match attribute suppresses the line', () => {
    const san = 'mx.example.com\nevil.com none';
    const result = scanned('example.com', [host('mx.example.com', 10, [address('verified', probe('mx.example.com', '192.0.2.1', { tls: tls({ chain: [cert({ dnsNames: [san] })] }) }))])]);
    const text = renderPolicyFile(meta, [{ result, rec: rec('example.com', { level: 'secure', attributes: { match: san } }) }]);
    expect(entries(text)).toEqual([]);
    expect(text).toContain('# example.com: secure with an invalid attribute; no line written\n');
    expectNoContinuationLines(text);
  });

  it.each([
    ['newline', 'example.com\nevil.com'],
    ['space', 'example.com none'],
    ['upper case', 'EXAMPLE.com'],
    ['U-label', 'bücher.example'],
  ])('an invalid key (%s) is never written', (_name, domain) => {
    const [item] = sampleItems();
    const text = renderPolicyFile(meta, [{ result: { ...item!.result, domain }, rec: rec(domain, { level: 'verify', summary: { code: 'verified', verified: 1, addresses: 1 } }) }]);
    expect(entries(text)).toEqual([]);
    expect(text).toMatch(/not a valid policy key; no line written\n# end: 1 domain: 1 verify\n$/);
    expectNoContinuationLines(text);
  });

  it('an unknown level is never written', () => {
    const [item] = sampleItems();
    const bogus = rec('example.com');
    (bogus as { level: string }).level = 'verify\nevil.com none';
    const text = renderPolicyFile(meta, [{ result: item!.result, rec: bogus }]);
    expect(entries(text)).toEqual([]);
  });

  it('a hostile resolver name in the header stays in the header', () => {
    const text = renderPolicyFile({ ...meta, resolvers: ['1.2.3.4\nevil.com none'] }, []);
    expect(entries(text)).toEqual([]);
    expect(text.split('\n')).toEqual([expect.stringMatching(/^# mxtls /), '# end: 0 domains', '']);
  });
});

describe('createPolicyWriter', () => {
  it('streams the same entries, padded to the configured width', () => {
    const writer = createPolicyWriter({ ...meta, keyWidth: 20 });
    const [verified] = sampleItems();
    expect(writer.header()).toBe('# mxtls 1.2.0 policy for Postfix 2.11-3.9, 2026-11-21T02:00:00Z, resolver 127.0.0.1\n');
    expect(writer.entry(verified!.result, verified!.rec)).toBe(
      '# example.com: 2/2 MX addresses verified (mx1.example.com TLSv1.3, TLS_AES_256_GCM_SHA384)\nexample.com         verify\n',
    );
  });

  it('still separates a key longer than the width by a space', () => {
    const writer = createPolicyWriter({ ...meta, keyWidth: 4 });
    const [verified] = sampleItems();
    expect(writer.entry(verified!.result, verified!.rec)).toContain('\nexample.com verify\n');
  });
});
