import { describe, expect, it } from 'vitest';
import { isMxPattern, parseStsPolicy } from '../../src/mta-sts/policy-text.js';

const good = 'version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmx: backupmx.example.com\nmax_age: 604800\n';

describe('parseStsPolicy (RFC 8461 §3.2)', () => {
  it('parses the RFC example', () => {
    expect(parseStsPolicy(good)).toEqual({
      ok: true,
      policy: {
        version: 'STSv1',
        mode: 'enforce',
        mx: ['mail.example.com', '*.example.net', 'backupmx.example.com'],
        maxAge: 604800,
        lines: ['version: STSv1', 'mode: enforce', 'mx: mail.example.com', 'mx: *.example.net', 'mx: backupmx.example.com', 'max_age: 604800'],
      },
    });
  });

  it('keeps every line as published, unknown fields and case included, without terminators', () => {
    const text = '\ufeffversion: STSv1\r\nfoo: bar {baz}\r\nmode: enforce\r\nmx: MX.Example.com\r\nmax_age: 5';
    expect(parseStsPolicy(text)).toMatchObject({ ok: true, policy: { lines: ['version: STSv1', 'foo: bar {baz}', 'mode: enforce', 'mx: MX.Example.com', 'max_age: 5'] } });
  });

  it.each([
    ['CRLF lines', good.replace(/\n/g, '\r\n')],
    ['no final line break', good.slice(0, -1)],
    ['fields in another order', 'max_age: 604800\nmx: mail.example.com\nmode: enforce\nmx: *.example.net\nmx: backupmx.example.com\nversion: STSv1\n'],
    ['no space after the colon, trailing blanks', 'version:STSv1 \nmode:\tenforce\t\nmx:mail.example.com\nmx: *.example.net\nmx: backupmx.example.com\nmax_age:604800\n'],
    ['unknown fields', 'version: STSv1\nfoo: bar baz\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmx: backupmx.example.com\nmax_age: 604800\nx_y.z-1: ü=;\n'],
    ['a byte order mark', '\ufeff' + good],
    ['upper-case mx patterns (stored lower case)', good.replace('mail.example.com', 'MAIL.Example.COM')],
  ])('accepts %s', (_label, text) => {
    const parsed = parseStsPolicy(text);
    expect(parsed).toMatchObject({ ok: true, policy: { mode: 'enforce', maxAge: 604800, mx: ['mail.example.com', '*.example.net', 'backupmx.example.com'] } });
  });

  it.each([
    ['testing', 'version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 0\n', { mode: 'testing', mx: ['mx.example.com'], maxAge: 0 }],
    ['none without mx', 'version: STSv1\nmode: none\nmax_age: 86400\n', { mode: 'none', mx: [], maxAge: 86400 }],
    ['max_age at its limit', 'version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557600', { maxAge: 31557600 }],
    ['leading zeros', 'version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 0000086400', { maxAge: 86400 }],
    ['first of repeated fields', 'version: STSv1\nmode: testing\nmode: enforce\nmx: mx.example.com\nmax_age: 5\nmax_age: 6', { mode: 'testing', maxAge: 5 }],
    ['duplicate mx patterns once', 'version: STSv1\nmode: enforce\nmx: mx.example.com\nmx: MX.example.com\nmax_age: 5', { mx: ['mx.example.com'] }],
  ])('reads %s', (_label, text, expected) => {
    expect(parseStsPolicy(text)).toMatchObject({ ok: true, policy: expected });
  });

  it.each([
    ['no version', 'mode: enforce\nmx: mx.example.com\nmax_age: 5', /no version/, undefined],
    ['no mode', 'version: STSv1\nmx: mx.example.com\nmax_age: 5', /no mode/, undefined],
    ['no max_age', 'version: STSv1\nmode: enforce\nmx: mx.example.com', /no max_age/, undefined],
    ['enforce without mx', 'version: STSv1\nmode: enforce\nmax_age: 5', /no mx .*enforce/, undefined],
    ['testing without mx', 'version: STSv1\nmode: testing\nmax_age: 5', /no mx .*testing/, undefined],
    ['wrong version', 'version: STSv2\nmode: enforce\nmx: mx.example.com\nmax_age: 5', /version must be STSv1/, 1],
    ['version in lower case', 'version: stsv1\nmode: enforce\nmx: mx.example.com\nmax_age: 5', /version must be/, 1],
    ['field names are case-sensitive', 'Version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 5', /no version/, undefined],
    ['unknown mode', 'version: STSv1\nmode: Enforce\nmx: mx.example.com\nmax_age: 5', /mode must be/, 2],
    ['max_age over the limit', 'version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557601', /over 31557600/, 4],
    ['max_age of 11 digits', 'version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 00000000001', /1-10 digits/, 4],
    ['negative max_age', 'version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: -1', /1-10 digits/, 4],
    ['max_age with a unit', 'version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 5d', /1-10 digits/, 4],
    ['a blank line', 'version: STSv1\n\nmode: enforce\nmx: mx.example.com\nmax_age: 5', /empty line/, 2],
    ['two line breaks at the end', 'version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 5\n\n', /empty line/, 5],
    ['a line without a colon', 'version: STSv1\nmode enforce\nmx: mx.example.com\nmax_age: 5', /name: value/, 2],
    ['space before the colon', 'version : STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 5', /name: value/, 1],
    ['a lone CR', 'version: STSv1\rmode: enforce\nmx: mx.example.com\nmax_age: 5', /version must be|control/, 1],
    ['an empty body', '', /empty line/, 1],
    ['an HTML page', '<html><body>Not found</body></html>', /name: value/, 1],
    ['mx with a wildcard in the middle', 'version: STSv1\nmode: enforce\nmx: mx.*.example.com\nmax_age: 5', /mx/, 3],
    ['mx of only a wildcard', 'version: STSv1\nmode: enforce\nmx: *\nmax_age: 5', /mx/, 3],
    ['mx with a trailing dot', 'version: STSv1\nmode: enforce\nmx: mx.example.com.\nmax_age: 5', /mx/, 3],
    ['mx with a port', 'version: STSv1\nmode: enforce\nmx: mx.example.com:25\nmax_age: 5', /mx/, 3],
    ['mx in U-labels', 'version: STSv1\nmode: enforce\nmx: mx.bücher.example\nmax_age: 5', /mx/, 3],
    ['an empty extension value', 'version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 5\nfoo:', /malformed value for foo/, 5],
  ])('rejects %s', (_label, text, reason, line) => {
    const parsed = parseStsPolicy(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toMatch(reason);
    expect(parsed.line).toBe(line);
  });
});

describe('isMxPattern', () => {
  it.each([
    ['mx.example.com', true],
    ['*.example.com', true],
    ['xn--bcher-kva.example', true],
    ['localhost', true],
    ['*.*.example.com', false],
    ['*example.com', false],
    ['-mx.example.com', false],
    ['mx-.example.com', false],
    ['mx..example.com', false],
    [`${'a'.repeat(64)}.example.com`, false],
    ['', false],
  ])('%j → %s', (pattern, expected) => expect(isMxPattern(pattern)).toBe(expected));
});
