import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderDetail } from '../../../src/output/detail.js';
import { renderSummaryTable } from '../../../src/output/table.js';
import { address, cert, host, NOW, probe, rec, sampleItems, scanned, tls } from '../../helpers/output-fixtures.js';

const ESC = '\u001b';

/** The cells of the row that starts with `domain`, trimmed. */
function row(table: string, domain: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`${domain} `));
  if (!line) throw new Error(`no row for ${domain}`);
  return line.trim().split(/ {2,}/);
}

describe('renderSummaryTable', () => {
  const table = renderSummaryTable(sampleItems(), { color: false });

  it.each([
    ['example.com', ['example.com', '2: mx1.example.com +1', '2/2', 'TLSv1.2 PQ 1/2', '2 verified', '—', 'verify']],
    ['example.io', ['example.io', '1: mail.example.io', '1/1', 'TLSv1.3', '1 untrusted', '—', 'encrypt']],
    ['example.net', ['example.net', '1: mx.example.net', '1/1', '—', '1 no STARTTLS', '—', 'may']],
    ['example.org', ['example.org', '1: mx.example.org', '0/1', '—', '—', '—', '— (unknown)']],
    ['example.edu', ['example.edu', 'null MX', '—', '—', '—', '—', '— (no mail)']],
  ])('row for %s', (domain, expected) => {
    const cells = row(table, domain);
    expect(cells.slice(0, 7)).toEqual(expected);
    expect(cells[7]).not.toBe(undefined);
  });

  it('sorts rows by domain and ends with a tally', () => {
    const rows = table.split('\n').filter((l) => /^example\./.test(l)).map((l) => l.split(' ')[0]);
    expect(rows).toEqual([...rows].sort());
    expect(table).toMatch(/\n5 domains: 1 encrypt, 1 may, 1 no-mail, 1 unknown, 1 verify\n$/);
  });

  it('has no colour unless asked, and colour adds nothing but escape codes', () => {
    expect(table).not.toContain(ESC);
    const colored = renderSummaryTable(sampleItems(), { color: true });
    expect(colored).toContain(`${ESC}[`);
    expect(stripVTControlCharacters(colored)).toBe(table);
  });

  it('names the first MX hosts and counts the rest', () => {
    const hosts = ['a', 'b', 'c', 'd'].map((n, i) => host(`${n}.example.com`, i, [address('verified', probe(`${n}.example.com`, `192.0.2.${i + 1}`))]));
    const text = renderSummaryTable([{ result: scanned('example.com', hosts), rec: rec('example.com', { level: 'verify' }) }], { color: false });
    expect(row(text, 'example.com')[1]).toBe('4: a.example.com +3');
  });

  it('a hostile MX name cannot add a row or an escape sequence', () => {
    const evil = `mx.example.com\nevil.com none${ESC}[2J`;
    const result = scanned('example.com', [host(evil, 10, [address('verified', probe(evil, '192.0.2.1'))])]);
    const text = renderSummaryTable([{ result, rec: rec('example.com', { level: 'verify', summary: { code: 'verified', verified: 1, addresses: 1, host: evil } }) }], { color: false });
    expect(text).not.toContain(ESC);
    expect(text.trimEnd().split('\n')).toHaveLength(4); // head, the row, blank, tally
    expect(row(text, 'example.com')[1]).toContain('mx.example.com\\x0aevil.com');
  });
});

describe('renderDetail', () => {
  const [verified, untrusted, plain, timedOut, noMail] = sampleItems();
  const detail = (item: (typeof verified)) => renderDetail(item!.result, item!.rec, { color: false, now: NOW });

  it('shows what a postmaster would read from posttls-finger', () => {
    const text = detail(verified);
    for (const expected of [
      'MX: from MX records',
      '│ 10   │ mx1.example.com │ 192.0.2.1',
      '│ 20   │ mx2.example.com │ 2001:db8::2',
      'mx1.example.com 192.0.2.1:25 (preference 10)',
      'mx2.example.com [2001:db8::2]:25 (preference 20)',
      'greeting        220 mx1.example.com ESMTP',
      'EHLO            PIPELINING SIZE STARTTLS',
      'STARTTLS        offered',
      'STARTTLS reply  220 2.0.0 Ready to start TLS',
      'protocol        TLSv1.3',
      'cipher          TLS_AES_256_GCM_SHA384 (OpenSSL TLS_AES_256_GCM_SHA384)',
      'key exchange    X25519MLKEM768 — post-quantum (ML-KEM hybrid)',
      'key exchange    X25519 — classic ECDH, 253 bits',
      'certificate 0 (leaf)',
      'subject         CN=mx1.example.com',
      'SANs            mx1.example.com',
      'issuer          CN=Lab Intermediate CA,O=mxtls lab',
      '(30 days left)',
      'key             ec prime256v1',
      'signature       ecdsa-with-SHA256',
      `SHA-256         ${'aa'.repeat(32)}`,
      `SPKI SHA-256    ${'bb'.repeat(32)}`,
      'trust           trusted',
      'name match      matches mx1.example.com',
      'recommendation: verify',
      'policy line     example.com verify',
      'reason          2/2 MX addresses verified',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(ESC);
  });

  it('shows trust failures, missing STARTTLS, probe failures and warnings', () => {
    expect(detail(untrusted)).toContain('trust           not trusted: self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(detail(untrusted)).toContain('certificate 0 (leaf, self-issued)');
    expect(detail(plain)).toContain('STARTTLS        not offered');
    expect(detail(plain)).not.toContain('protocol');
    const failed = detail(timedOut);
    expect(failed).toContain('failure         connect-timeout at connect [ETIMEDOUT]: connect ETIMEDOUT 192.0.2.30:25');
    expect(failed).toContain('recommendation: — (unknown)');
    expect(failed).toContain('warning         mx.example.org [192.0.2.30]: not observed');
    expect(detail(noMail)).toContain('MX: null MX (RFC 7505): accepts no mail');
  });

  it('shows an address retried after a transient answer, with that answer', () => {
    const earlierAttempts = [{ startedAt: '2026-11-21T01:59:00.000Z', stage: 'greeting' as const, reply: { code: 421, lines: ['4.7.0 too many connections'] } }];
    const result = scanned('example.com', [host('mx.example.com', 10, [address('verified', probe('mx.example.com', '192.0.2.1', { earlierAttempts }))])]);
    expect(renderDetail(result, rec('example.com', { level: 'verify' }), { color: false, now: NOW })).toContain(
      'retried after   421 4.7.0 too many connections (greeting, 2026-11-21T01:59:00.000Z)',
    );
  });

  it('counts expiry from `now`', () => {
    const expired = cert({ notAfter: '2026-11-18T00:00:00.000Z' });
    const result = scanned('example.com', [host('mx.example.com', 10, [address('untrusted', probe('mx.example.com', '192.0.2.1', { tls: tls({ chain: [expired], trust: { trusted: false, verdict: 'expired' } }) }))])]);
    expect(renderDetail(result, rec('example.com', { level: 'encrypt' }), { color: false, now: NOW })).toContain('(expired 3 days ago)');
  });

  it('flags an implicit MX', () => {
    const [item] = sampleItems();
    const mx = item!.result.mx;
    if (mx.status !== 'ok') throw new Error('fixture');
    const text = renderDetail({ ...item!.result, mx: { ...mx, implicit: true } }, item!.rec, { color: false, now: NOW });
    expect(text).toContain('MX: implicit');
  });

  it('a hostile banner, SAN or error message cannot add a line or an escape sequence', () => {
    const hostile = `ok\r\n250 fake${ESC}[2J\u2028\u202e`;
    const clean = renderDetail(verified!.result, verified!.rec, { color: false, now: NOW });
    const result = scanned('example.com', [
      host('mx1.example.com', 10, [
        address('verified', probe('mx1.example.com', '192.0.2.1', {
          greeting: { code: 220, lines: [hostile] },
          failure: { stage: 'quit', kind: 'protocol-error', message: hostile },
          tls: tls({ chain: [cert({ dnsNames: [hostile], subject: hostile, issuer: hostile })] }),
        })),
      ]),
      verified!.result.hosts[1]!,
    ]);
    const text = renderDetail(result, verified!.rec, { color: false, now: NOW });
    expect(text).not.toContain(ESC);
    expect(text).not.toMatch(/[\r\u2028\u202e]/);
    // The failure line is the only line the hostile probe adds.
    expect(text.split('\n')).toHaveLength(clean.split('\n').length + 1);
    expect(text).toContain('greeting        220 ok\\x0d\\x0a250 fake\\x1b[2J\\u2028\\u202e');
  });

  it('shows DNSSEC, DANE, MTA-STS and TLS-RPT in the table and the detailed view', () => {
    const matched = address('untrusted', probe('mx.example.se', '192.0.2.7'));
    matched.dane = { matched: true, by: { usage: 3, selector: 1, matchingType: 1, depth: 0 } };
    const failing = address('verified', probe('mx.example.se', '192.0.2.8'));
    failing.dane = { matched: false, failure: 'no-match' };
    const h = host('mx.example.se', 10, [matched, failing]);
    h.dane = { status: 'tlsa', tlsaName: '_25._tcp.mx.example.se', records: [{ usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) }], usable: 1 };
    const result = scanned('example.se', [h], {
      dnssec: 'secure',
      mtaSts: { status: 'ok', id: 'x1', policy: { mode: 'testing', mx: ['mx.example.se'], maxAge: 86400 } },
      tlsRpt: { status: 'ok', rua: ['mailto:tls@example.se'] },
    });
    const item = { result, rec: rec('example.se', { level: 'dane' }) };
    expect(row(renderSummaryTable([item], { color: false }), 'example.se')[5]).toBe('DNSSEC, DANE 0/1, STS testing, RPT');
    const detail = renderDetail(result, item.rec, { color: false, now: NOW });
    expect(detail).toContain('DNSSEC          secure: the MX and address answers were validated by the resolver (AD)');
    expect(detail).toContain(`DANE            mx.example.se: 1/1 usable TLSA at _25._tcp.mx.example.se: 3 1 1 ${'AB'.repeat(32)}`);
    expect(detail).toContain('  DANE            matches DANE-EE 3 1 1 at depth 0');
    expect(detail).toContain('  DANE            does not match its TLSA (no-match)');
    expect(detail).toContain('MTA-STS         testing (id x1), mx mx.example.se, max_age 86400');
    expect(detail).toContain('TLS-RPT         reports to mailto:tls@example.se');
  });
});
