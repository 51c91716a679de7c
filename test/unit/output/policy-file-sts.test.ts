// An MTA-STS secure line per target: Postfix 3.10's TLSRPT attributes exactly as TLSRPT_README
// documents them, the looser-match warning kept where match= decides, and hostile policies
// (braces, control bytes, 64 KiB, thousands of mx lines) that never break or add a line.
import { describe, expect, it } from 'vitest';
import { renderPolicyFile } from '../../../src/output/policy-file.js';
import { DEFAULT_TARGET, parsePostfixTarget, type PostfixTarget } from '../../../src/policy/postfix-target.js';
import type { MtaStsLinePolicy, PolicyRecommendation } from '../../../src/types.js';
import { parsePolicyValue } from '../../helpers/postfix-policy-value.js';
import { rec, sampleItems } from '../../helpers/output-fixtures.js';

const meta = { version: '1.2.0', generatedAt: '2026-11-21T02:00:00Z' };
const [item] = sampleItems();

function target(label: string): PostfixTarget {
  const parsed = parsePostfixTarget(label);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.target;
}

const LINES = ['version: STSv1', 'mode: enforce', 'mx: mx1.example.com', 'mx: *.example.com', 'max_age: 86400'];
const WIDENED = "Postfix's match=mx1.example.com:.example.com also accepts deeper names than the MTA-STS pattern *.example.com (one label)";

function secure(mtaSts: Partial<MtaStsLinePolicy> = {}, attributes: Record<string, string> = { match: 'mx1.example.com:.example.com' }): PolicyRecommendation {
  return rec('example.com', {
    level: 'secure',
    attributes,
    summary: { code: 'mta-sts-secure', id: 'x1', because: { code: 'verified', verified: 1, addresses: 1 } },
    warnings: [{ code: 'mta-sts-match-widened', match: 'mx1.example.com:.example.com', wildcards: ['*.example.com'] }],
    mtaSts: { domain: 'example.com', mxPatterns: ['mx1.example.com', '*.example.com'], lines: LINES, ...mtaSts },
  });
}

function render(t: PostfixTarget, r: PolicyRecommendation): string {
  return renderPolicyFile({ ...meta, postfix: t }, [{ result: item!.result, rec: r }]);
}

const entries = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
const value = (text: string) => {
  const [line] = entries(text);
  return line === undefined ? undefined : line.replace(/^example\.com\s+/, '');
};

const STS_VALUE =
  'secure match=mx1.example.com:.example.com policy_type=sts policy_domain=example.com mx_host_pattern=mx1.example.com mx_host_pattern=*.example.com ' +
  '{ policy_string = version: STSv1 } { policy_string = mode: enforce } { policy_string = mx: mx1.example.com } { policy_string = mx: *.example.com } { policy_string = max_age: 86400 }';

describe('an MTA-STS secure line per target', () => {
  it.each([DEFAULT_TARGET, target('3.7.11'), target('3.9.4')])('Postfix %s: secure match= only, and the looser-form warning above it', (t) => {
    const text = render(t, secure());
    expect(value(text)).toBe('secure match=mx1.example.com:.example.com');
    expect(text).toContain(`#   warning: ${WIDENED}\n`);
    expect(text).not.toMatch(/policy_type|mx_host_pattern|policy_string|policy_domain/);
  });

  it.each(['3.10.0', '3.10.4'])('Postfix %s: the TLSRPT attributes, and a note that match= still decides', (label) => {
    const text = render(target(label), secure());
    expect(value(text)).toBe(STS_VALUE);
    expect(text).toContain(`#   warning: ${WIDENED}\n`);
    expect(text).toContain(`#   note: Postfix ${label} names this policy in TLSRPT reports but enforces mx_host_pattern only from 3.10.5: match= decides\n`);
  });

  it.each(['3.10.5', '3.10.13', '3.11.0'])('Postfix %s: the TLSRPT attributes, enforced exactly', (label) => {
    const text = render(target(label), secure());
    expect(value(text)).toBe(STS_VALUE);
    expect(text).toMatch(/#   note: Postfix 3\.1[01]\.\d+ uses only MX hosts matching an mx_host_pattern \("\*" is one label, RFC 8461\)/);
  });

  it('reads back in Postfix\'s own tokenising as exactly the intended attributes', () => {
    const parsed = parsePolicyValue(value(render(target('3.10.5'), secure()))!);
    expect(parsed).toEqual({
      ok: true,
      level: 'secure',
      attributes: [
        ['match', 'mx1.example.com:.example.com'],
        ['policy_type', 'sts'],
        ['policy_domain', 'example.com'],
        ['mx_host_pattern', 'mx1.example.com'],
        ['mx_host_pattern', '*.example.com'],
        ...LINES.map((line) => ['policy_string', line]),
      ],
    });
  });

  it('a saved result without policy text: the attributes without policy_string, and a note', () => {
    const text = render(target('3.10.5'), secure({ lines: undefined }));
    expect(value(text)).toBe('secure match=mx1.example.com:.example.com policy_type=sts policy_domain=example.com mx_host_pattern=mx1.example.com mx_host_pattern=*.example.com');
    expect(text).toMatch(/no policy_string; scan again/);
  });

  it('white space around a policy line is dropped, as Postfix would', () => {
    const text = render(target('3.10.5'), secure({ lines: ['version: STSv1 ', 'mode:\tenforce'] }));
    expect(text).toContain('TLSRPT attributes left out: policy line 2 cannot be a policy_string');
    const trimmed = render(target('3.10.5'), secure({ lines: ['  version: STSv1 \t'] }));
    expect(value(trimmed)).toMatch(/\{ policy_string = version: STSv1 \}$/);
  });

  it('never on dane lines (DANE wins; Postfix reports the TLSA policy), never match= there either', () => {
    for (const level of ['dane', 'dane-only'] as const) {
      const text = render(target('3.11.0'), { ...secure({}, {}), level });
      expect(value(text)).toBe(level);
    }
  });

  it('never policy_failure, not even when a recommendation carries it', () => {
    const text = render(target('3.11.0'), secure({}, { match: 'mx1.example.com', policy_failure: 'sts-webpki-invalid' }));
    expect(entries(text)).toEqual([]);
    expect(text).toContain('secure with policy_failure=, not written for Postfix 3.11.0 at this level; no line written');
  });
});

describe('a hostile policy never breaks a line or adds one', () => {
  /** Every line of the file is a comment or this domain's one entry, which parses cleanly. */
  function expectOneSafeLine(text: string): string {
    for (const line of text.split('\n')) expect(line === '' || line.startsWith('#') || line.startsWith('example.com ')).toBe(true);
    const written = entries(text);
    expect(written).toHaveLength(1);
    const v = value(text)!;
    const parsed = parsePolicyValue(v);
    expect(parsed.ok, v.slice(0, 200)).toBe(true);
    return v;
  }

  it.each([
    ['a "}" inside a line', 'foo: x } policy_failure=sts-webpki-invalid { y'],
    ['a "{" inside a line', 'foo: {'],
    ['a line break', 'foo: a\nexample.net none'],
    ['a carriage return', 'foo: a\rb'],
    ['a NUL byte', 'foo: a\u0000b'],
    ['an escape sequence', 'foo: \u001b[2J'],
    ['non-ASCII text', 'foo: bücher'],
    ['a line of 1001 characters', `foo: ${'x'.repeat(996)}`],
  ])('%s: TLSRPT attributes left out, match= line kept', (_label, bad) => {
    const text = render(target('3.10.5'), secure({ lines: [...LINES, bad] }));
    expect(expectOneSafeLine(text)).toBe('secure match=mx1.example.com:.example.com');
    expect(text).toContain('#   note: Postfix 3.10.5 TLSRPT attributes left out: policy line 6 cannot be a policy_string');
  });

  it.each([
    ['a pattern with a space', 'mx.example.com policy_failure=x'],
    ['a pattern with a brace', 'mx}.example.com'],
    ['a bare wildcard', '*'],
    ['a deeper wildcard', '*.*.example.com'],
  ])('an mx pattern that is not a host name (%s): left out', (_label, pattern) => {
    const text = render(target('3.10.5'), secure({ mxPatterns: ['mx1.example.com', pattern] }));
    expect(expectOneSafeLine(text)).toBe('secure match=mx1.example.com:.example.com');
    expect(text).toMatch(/TLSRPT attributes left out: mx pattern .* is not a host name/);
  });

  it('a policy domain other than the key: left out', () => {
    const text = render(target('3.10.5'), secure({ domain: 'example.net' }));
    expect(expectOneSafeLine(text)).toBe('secure match=mx1.example.com:.example.com');
  });

  it('a 64 KiB policy: over the 100000-byte cap, left out and said so', () => {
    const filler = Array.from({ length: 1200 }, (_, i) => `ext${i}: ${'y'.repeat(48)}`);
    expect(filler.join('\r\n').length).toBeGreaterThan(64_000);
    const text = render(target('3.10.5'), secure({ lines: [...LINES, ...filler, ...filler] }));
    expect(expectOneSafeLine(text)).toBe('secure match=mx1.example.com:.example.com');
    expect(text).toMatch(/TLSRPT attributes left out: the line would be \d+ bytes, over 100000 \(socketmap_max_reply_size\); match= alone decides/);
  });

  it('800 mx lines, below the cap: one line, every pattern and policy line in it', () => {
    const mx = Array.from({ length: 800 }, (_, i) => `mx${i}.example.com`);
    const text = render(target('3.10.5'), secure({ mxPatterns: mx, lines: mx.map((m) => `mx: ${m}`) }, { match: mx.join(':') }));
    const v = expectOneSafeLine(text);
    const parsed = parsePolicyValue(v);
    expect(parsed.ok && parsed.attributes.filter(([n]) => n === 'mx_host_pattern')).toHaveLength(800);
    expect(v.length).toBeLessThanOrEqual(100_000);
  });

  it('thousands of mx lines over the cap: no TLSRPT attributes, said so', () => {
    const mx = Array.from({ length: 4000 }, (_, i) => `mx${i}.example.com`);
    const text = render(target('3.10.5'), secure({ mxPatterns: mx, lines: mx.map((m) => `mx: ${m}`) }, { match: mx.join(':') }));
    expect(expectOneSafeLine(text)).toMatch(/^secure match=mx0\.example\.com:/);
    expect(text).toMatch(/over 100000 \(socketmap_max_reply_size\)/);
  });
});
