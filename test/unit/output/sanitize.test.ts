import { describe, expect, it } from 'vitest';
import { isHostName as isValidHostName } from '../../../src/name/host-name.js';
import { isValidAttribute, isValidPolicyKey } from '../../../src/policy/postfix-syntax.js';
import { sanitizeText } from '../../../src/output/sanitize.js';

describe('sanitizeText', () => {
  it.each([
    ['LF', 'mx.example.com ESMTP\nevil.com none', 'mx.example.com ESMTP\\x0aevil.com none'],
    ['CR LF', 'a\r\nb', 'a\\x0d\\x0ab'],
    ['NUL', 'a\u0000b', 'a\\x00b'],
    ['ESC sequence', '\u001b[2J\u001b[31mred', '\\x1b[2J\\x1b[31mred'],
    ['DEL', 'a\u007fb', 'a\\x7fb'],
    ['C1 NEL', 'a\u0085b', 'a\\x85b'],
    ['C1 CSI', 'a\u009b31mb', 'a\\x9b31mb'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
    ['paragraph separator', 'a\u2029b', 'a\\u2029b'],
    ['RLO override', 'moc.live\u202eexample.com', 'moc.live\\u202eexample.com'],
    ['isolate', 'a\u2066b\u2069', 'a\\u2066b\\u2069'],
    ['zero-width space', 'ex\u200bample', 'ex\\u200bample'],
    ['BOM', '\ufeffhello', '\\ufeffhello'],
    ['lone surrogate', 'a\ud800b', 'a\\ud800b'],
    ['backslash cannot forge an escape', 'a\\x0ab', 'a\\\\x0ab'],
  ])('%s', (_name, input, expected) => {
    const out = sanitizeText(input);
    expect(out).toBe(expected);
    expect(out).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
  });

  it('keeps ordinary text, including non-ASCII letters and astral characters', () => {
    expect(sanitizeText('Grüße 😀 mx.example.com')).toBe('Grüße 😀 mx.example.com');
  });

  it('caps the length in characters, with an ellipsis', () => {
    expect(sanitizeText('abcdefghij', 5)).toBe('abcd…');
    expect(sanitizeText('abcde', 5)).toBe('abcde');
    expect([...sanitizeText('😀'.repeat(10), 5)]).toHaveLength(5);
  });

  it('never cuts inside an escape', () => {
    expect(sanitizeText('ab\ncdef', 5)).toBe('ab…');
  });
});

describe('isValidPolicyKey', () => {
  it.each([
    'example.com',
    'mx1.example.com',
    'xn--bcher-kva.example',
    'a.b',
    `${'a'.repeat(63)}.example`,
    '[192.0.2.1]',
    '[192.0.2.1]:2525',
    '[mail.example.com]',
    '[mail.example.com]:587',
  ])('accepts %s', (key) => {
    expect(isValidPolicyKey(key)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['upper case', 'Example.com'],
    ['trailing dot', 'example.com.'],
    ['empty label', 'example..com'],
    ['leading hyphen', '-example.com'],
    ['trailing hyphen', 'example-.com'],
    ['label of 64', `${'a'.repeat(64)}.example`],
    ['longer than 253', `${'abcdefghi.'.repeat(25)}example`],
    ['U-label', 'bücher.example'],
    ['underscore', '_mta-sts.example.com'],
    ['space', 'example.com none'],
    ['newline', 'example.com\nevil.com'],
    ['tab', 'example.com\tverify'],
    ['comment sign', '#example.com'],
    ['IPv4 address', '192.0.2.1'],
    ['single label', 'localhost'],
    ['IPv6 in brackets', '[2001:db8::1]:25'],
    ['bracketed garbage', '[exa mple.com]'],
    ['port 0', '[mail.example.com]:0'],
    ['port too big', '[mail.example.com]:65536'],
    ['leading zero port', '[mail.example.com]:025'],
    ['port without brackets', 'mail.example.com:25'],
    ['dot prefix', '.example.com'],
  ])('rejects %s', (_name, key) => {
    expect(isValidPolicyKey(key)).toBe(false);
  });

  it('allows exactly 253 characters', () => {
    const name = `${'a'.repeat(61)}.`.repeat(4) + 'abcde';
    expect(name).toHaveLength(253);
    expect(isValidHostName(name)).toBe(true);
    expect(isValidHostName(`a${name}`)).toBe(false);
  });
});

describe('isValidAttribute', () => {
  it.each([
    ['match', 'hostname'],
    ['match', 'nexthop:dot-nexthop'],
    ['match', '.example.com:example.com'],
    ['protocols', '>=TLSv1.2'],
    ['protocols', '!SSLv2:!SSLv3'],
    ['ciphers', 'high'],
  ])('accepts %s=%s', (name, value) => {
    expect(isValidAttribute(name, value)).toBe(true);
  });

  it.each([
    ['match', 'mx.example.com\nevil.com none'],
    ['match', 'mx.example.com evil.com'],
    ['match', 'MX.example.com'],
    ['match', '*.example.com'],
    ['match', 'example.com:'],
    ['protocols', ''],
    ['protocols', 'a b'],
    ['ciphers', 'high#x'],
    ['Match', 'hostname'],
    ['bad name', 'x'],
  ])('rejects %s=%j', (name, value) => {
    expect(isValidAttribute(name, value)).toBe(false);
  });
});
