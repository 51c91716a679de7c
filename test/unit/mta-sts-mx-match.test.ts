import { describe, expect, it } from 'vitest';
import { checkMxHosts, findMxPattern, matchesMxPattern } from '../../src/mta-sts/mx-match.js';
import { toPostfixMatch } from '../../src/policy/postfix-match.js';

describe('matchesMxPattern (RFC 8461 §4.1)', () => {
  it.each([
    ['mail.example.com', 'mail.example.com', true],
    ['MAIL.Example.COM', 'mail.example.com', true],
    ['mail.example.com.', 'mail.example.com', true],
    ['mail.example.com', 'MAIL.EXAMPLE.COM.', true],
    ['mail.example.com', '*.example.com', true],
    ['Mail.Example.Com.', '*.EXAMPLE.com', true],
    ['example.com', '*.example.com', false],
    ['a.b.example.com', '*.example.com', false],
    ['mail.example.org', '*.example.com', false],
    ['mail.badexample.com', '*.example.com', false],
    ['mailexample.com', '*.example.com', false],
    ['mail.example.com', 'example.com', false],
    ['other.example.com', 'mail.example.com', false],
    ['', '*.example.com', false],
    ['.example.com', '*.example.com', false],
  ])('%j against %j → %s', (host, pattern, expected) => expect(matchesMxPattern(host, pattern)).toBe(expected));
});

describe('findMxPattern / checkMxHosts', () => {
  const patterns = ['mx1.example.com', '*.mail.example.net'];
  it('names the pattern that matched', () => {
    expect(findMxPattern('a.mail.example.net', patterns)).toBe('*.mail.example.net');
    expect(findMxPattern('mx2.example.com', patterns)).toBeUndefined();
  });
  it('splits hosts into matched and unmatched', () => {
    expect(checkMxHosts(['mx1.example.com', 'b.mail.example.net', 'mx2.example.com', 'x.y.mail.example.net'], patterns)).toEqual({
      matched: [
        { host: 'mx1.example.com', pattern: 'mx1.example.com' },
        { host: 'b.mail.example.net', pattern: '*.mail.example.net' },
      ],
      unmatched: ['mx2.example.com', 'x.y.mail.example.net'],
    });
  });
});

describe('toPostfixMatch', () => {
  it.each([
    [['mail.example.com'], 'mail.example.com', []],
    [['mail.example.com', 'backup.example.com'], 'mail.example.com:backup.example.com', []],
    [['*.example.com'], '.example.com', ['*.example.com']],
    [['MX.Example.com', '*.Example.NET.', 'mx.example.com'], 'mx.example.com:.example.net', ['*.example.net']],
  ])('%j → match=%s', (patterns, match, wildcards) => {
    expect(toPostfixMatch(patterns)).toEqual({ ok: true, match, widened: wildcards.length > 0, wildcards });
  });

  it.each([
    [['nexthop'], 'nexthop'],
    [['hostname'], 'hostname'],
    [['dot-nexthop'], 'dot-nexthop'],
    [['.example.com'], '.example.com'],
    [['*.*.example.com'], '*.*.example.com'],
    [['mx.example.com\n'], 'mx.example.com\n'],
    [['mx.example.com:evil.example'], 'mx.example.com:evil.example'],
    [['mx.example.com evil'], 'mx.example.com evil'],
    [['mx.example.com', 'bad_name.example.com'], 'bad_name.example.com'],
  ])('refuses %j, naming the pattern', (patterns, pattern) => {
    expect(toPostfixMatch(patterns)).toEqual({ ok: false, cause: 'pattern', pattern });
  });

  it('refuses an empty list', () => {
    expect(toPostfixMatch([])).toEqual({ ok: false, cause: 'empty' });
  });
});
