import { describe, expect, it } from 'vitest';
import { ehloKeywords, hasKeyword } from '../../src/smtp/capabilities.js';

const ehlo = (...lines: string[]) => ({ code: 250, lines });

describe('ehloKeywords', () => {
  it('takes the first token of each line after the first, upper-cased', () => {
    const reply = ehlo('mx.example Hello [192.0.2.1]', 'PIPELINING', 'size 10240000', 'StartTLS', 'AUTH PLAIN LOGIN', 'X-EXPS GSSAPI');
    expect(ehloKeywords(reply)).toEqual(['PIPELINING', 'SIZE', 'STARTTLS', 'AUTH', 'X-EXPS']);
  });

  it('never treats the greeting line as a keyword', () => {
    expect(ehloKeywords(ehlo('STARTTLS'))).toEqual([]);
  });

  it('skips tokens that are not ehlo-keywords', () => {
    const reply = ehlo('mx', '-STARTTLS', 'START_TLS', 'STARTTLS=1', '', ' STARTTLS', '8BITMIME');
    expect(ehloKeywords(reply)).toEqual(['8BITMIME']);
  });

  it('drops duplicates, keeping the first position', () => {
    expect(ehloKeywords(ehlo('mx', 'SIZE 1', 'STARTTLS', 'size 2'))).toEqual(['SIZE', 'STARTTLS']);
  });
});

describe('hasKeyword', () => {
  const cases: Array<[string, string[], boolean]> = [
    ['offered', ['mx', 'PIPELINING', 'STARTTLS'], true],
    ['lower case', ['mx', 'starttls'], true],
    ['embedded in a longer keyword', ['mx', 'XSTARTTLSX'], false],
    ['prefix of a longer keyword', ['mx', 'STARTTLS-NOT'], false],
    ['as a parameter of another keyword', ['mx', 'AUTH STARTTLS'], false],
    ['only in the greeting line', ['mx.example STARTTLS ready'], false],
  ];
  for (const [name, lines, expected] of cases) {
    it(`STARTTLS ${name} → ${expected}`, () => {
      expect(hasKeyword(ehloKeywords(ehlo(...lines)), 'STARTTLS')).toBe(expected);
    });
  }

  it('compares case-insensitively on the asked keyword', () => {
    expect(hasKeyword(['STARTTLS'], 'starttls')).toBe(true);
  });
});
