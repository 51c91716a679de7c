import { describe, expect, it } from 'vitest';
import { normalizeInput } from '../../src/input/normalize.js';
import { isHostName } from '../../src/name/host-name.js';

describe('normalizeInput', () => {
  it.each([
    ['example.com', 'example.com'],
    ['Example.COM.', 'example.com'],
    ['  postmaster@Example.org  ', 'example.org'],
    ['"odd@local"@mail.example.net', 'mail.example.net'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['user@bücher.example', 'xn--bcher-kva.example'],
    ['example.com # a comment', 'example.com'],
  ])('%s → %s', (line, domain) => {
    expect(normalizeInput(line)).toMatchObject({ ok: true, domain });
  });

  it.each(['', '   ', '# only a comment'])('%j is skipped silently', (line) => {
    expect(normalizeInput(line)).toBeUndefined();
  });

  it.each([
    ['two words.com here', /more than one word/],
    ['localhost', /not a valid domain/],
    ['-bad.example', /not a valid domain/],
    ['a_b.example', /not a valid domain/],
    ['192.0.2.1', /not a valid domain/],
    ['[MX.example.com]:25', /A-label host name/],
    ['[mx.example.com]:025', /port must be/],
    ['[mx.example.com]:70000', /port must be/],
    ['[mx.example.com', /not a valid next hop/],
    ['[2001:db8::1]:25', /A-label host name or IPv4/],
  ])('%s is rejected', (line, error) => {
    const r = normalizeInput(line);
    expect(r?.ok).toBe(false);
    if (r && !r.ok) expect(r.error).toMatch(error);
  });

  it.each([
    ['[mx.example.com]', { host: 'mx.example.com' }],
    ['[mx.example.com]:2525', { host: 'mx.example.com', port: 2525 }],
    ['[192.0.2.1]:25', { host: '192.0.2.1', port: 25 }],
  ])('next hop %s is kept as the key and probed directly', (line, nexthop) => {
    expect(normalizeInput(line)).toEqual({ ok: true, domain: line, input: line, nexthop });
  });

  it('limits label and name length', () => {
    expect(isHostName(`${'a'.repeat(63)}.example`)).toBe(true);
    expect(isHostName(`${'a'.repeat(64)}.example`)).toBe(false);
    expect(isHostName(`${'a.'.repeat(127)}ex`)).toBe(false);
  });
});
