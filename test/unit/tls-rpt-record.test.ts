import { describe, expect, it } from 'vitest';
import { evaluateTlsRpt, evaluateTlsRptTxt, parseTlsRptRecord, tlsRptTxtName } from '../../src/tls-rpt/record.js';
import type { DnsAnswer } from '../../src/types.js';

describe('parseTlsRptRecord (RFC 8460 §3)', () => {
  it.each([
    ['v=TLSRPTv1; rua=mailto:reports@example.com', ['mailto:reports@example.com'], []],
    ['v=TLSRPTv1;rua=mailto:reports@example.com;', ['mailto:reports@example.com'], []],
    ['v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt', ['https://reporting.example.com/v1/tlsrpt'], []],
    ['v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.com/x', ['mailto:a@example.com', 'https://r.example.com/x'], []],
    ['v=TLSRPTv1 ; rua=mailto:a@example.com , mailto:b@example.com ; ', ['mailto:a@example.com', 'mailto:b@example.com'], []],
    ['v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com', ['mailto:a@example.com', 'mailto:b@example.com'], []],
    ['v=TLSRPTv1; ext=1; rua=mailto:tls%2Crpt@example.com', ['mailto:tls%2Crpt@example.com'], []],
    ['v=TLSRPTv1; rua=MAILTO:a@example.com,ftp://x.example/y', ['MAILTO:a@example.com'], ['ftp://x.example/y']],
  ])('accepts %j', (text, rua, ignored) => {
    expect(parseTlsRptRecord(text)).toEqual({ ok: true, rua, ignored });
  });

  it.each([
    ['v=TLSRPTv1', /no rua/],
    ['v=TLSRPTv1;', /no rua/],
    ['v=TLSRPTv1; ext=1', /no rua/],
    ['v=TLSRPTv1; rua=', /malformed URI/],
    ['v=TLSRPTv1; rua=reports@example.com', /malformed URI/],
    ['v=TLSRPTv1; rua=mailto:a@example.com!10m', /malformed URI/],
    ['v=TLSRPTv1; rua=mailto:a@example.com,', /malformed URI/],
    ['v=TLSRPTv1; rua=mailto:a b@example.com', /malformed URI/],
    ['v=TLSRPTv1; rua=ftp://x.example/y', /no mailto: or https:/],
    ['v=TLSRPTv1; rua=mailto:nobody', /no mailto: or https:/],
    ['v=TLSRPTv1; rua=https:nohost', /no mailto: or https:/],
    ['v=TLSRPTv1 rua=mailto:a@example.com', /expected ";"/],
    ['v=TLSRPTv1; rua = mailto:a@example.com', /malformed field/],
    ['v=tlsrptv1; rua=mailto:a@example.com', /does not start/],
  ])('rejects %j', (text, reason) => {
    const parsed = parseTlsRptRecord(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('evaluateTlsRptTxt (the RRset)', () => {
  it('concatenates the strings of one record and skips other records', () => {
    expect(evaluateTlsRptTxt([['v=spf1 -all'], ['v=TLSRPTv1; rua=mailto:', 'tls@example.com']])).toEqual({ status: 'ok', rua: ['mailto:tls@example.com'] });
  });
  it('reports ignored URIs', () => {
    expect(evaluateTlsRptTxt([['v=TLSRPTv1; rua=https://r.example/a,gopher://x.example']])).toEqual({ status: 'ok', rua: ['https://r.example/a'], ignored: ['gopher://x.example'] });
  });
  it('is none without a TLSRPTv1 record', () => {
    expect(evaluateTlsRptTxt([['v=TLSRPTv10; rua=mailto:a@example.com']])).toEqual({ status: 'none', rua: [] });
  });
  it('is invalid with two records or a broken one', () => {
    expect(evaluateTlsRptTxt([['v=TLSRPTv1; rua=mailto:a@example.com'], ['v=TLSRPTv1; rua=mailto:b@example.com']])).toMatchObject({ status: 'invalid', rua: [] });
    expect(evaluateTlsRptTxt([['v=TLSRPTv1; rua=nope']])).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/malformed URI/) });
  });
});

describe('evaluateTlsRpt (the DNS answer)', () => {
  const answer = (status: DnsAnswer<string[]>['status'], records: string[][] = [], detail?: string): DnsAnswer<string[]> => ({
    status,
    records,
    cnames: [],
    authenticated: false,
    ...(detail !== undefined ? { detail } : {}),
  });
  it.each([
    ['nxdomain', 'none'],
    ['nodata', 'none'],
    ['servfail', 'unknown'],
    ['timeout', 'unknown'],
  ] as const)('%s → %s', (status, expected) => {
    expect(evaluateTlsRpt(answer(status, [], 'why')).status).toBe(expected);
  });
  it('reads an ok answer', () => {
    expect(evaluateTlsRpt(answer('ok', [['v=TLSRPTv1; rua=mailto:a@example.com']]))).toEqual({ status: 'ok', rua: ['mailto:a@example.com'] });
  });
  it('names the record', () => expect(tlsRptTxtName('Example.COM.')).toBe('_smtp._tls.example.com'));
});
