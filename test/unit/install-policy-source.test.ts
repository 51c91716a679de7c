// readPolicySource: the strict reading takes what mxtls writes (the policy writer's own output,
// Postfix 3.10 TLSRPT attributes included) and nothing else; the lenient one reads an installed,
// possibly hand-written table the way postmap does.
import { describe, expect, it } from 'vitest';
import { readPolicySource } from '../../src/install/policy-source.js';
import { renderPolicyFile } from '../../src/output/policy-file.js';
import { parsePostfixTarget } from '../../src/policy/postfix-target.js';
import { rec, sampleItems } from '../helpers/output-fixtures.js';

const meta = { version: '1.2.0', generatedAt: '2026-11-21T02:00:00Z' };

function postfix310() {
  const parsed = parsePostfixTarget('3.10.5');
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.target;
}

describe('strict reading', () => {
  it('accepts the policy writer\'s output, entry for entry', () => {
    const text = renderPolicyFile(meta, sampleItems());
    const { entries, problems } = readPolicySource(text, 'strict');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.key, e.level, e.value])).toEqual([
      ['example.com', 'verify', 'verify'],
      ['example.io', 'encrypt', 'encrypt'],
      ['example.net', 'may', 'may'],
    ]);
  });

  it('accepts a secure line with match= and the braced TLSRPT policy_string attributes', () => {
    const [item] = sampleItems();
    const secure = rec('example.com', {
      level: 'secure',
      attributes: { match: 'mx1.example.com' },
      mtaSts: { domain: 'example.com', mxPatterns: ['mx1.example.com'], lines: ['version: STSv1', 'mode: enforce', 'mx: mx1.example.com', 'max_age: 86400'] },
    });
    const text = renderPolicyFile({ ...meta, postfix: postfix310() }, [{ result: item!.result, rec: secure }]);
    const { entries, problems } = readPolicySource(text, 'strict');
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.value).toContain('{ policy_string = mode: enforce }');
    expect(entries[0]!.value).toBe(text.split('\n').find((l) => l.startsWith('example.com'))!.replace(/^example\.com\s+/, ''));
  });

  it.each([
    ['a bad key', 'exa mple\n-bad.test verify\n', 2, /not a policy key/],
    ['an unknown level', 'a.test verified\n', 1, /not a TLS security level/],
    ['a key without a value', 'a.test\n', 1, /without a value/],
    ['an attribute with a bad value', 'a.test verify match=a.test;rm\n', 1, /invalid attribute/],
    ['a word that is no attribute', 'a.test verify strictly\n', 1, /unreadable attributes/],
    ['an open brace', 'a.test secure { policy_string = x\n', 1, /unreadable attributes/],
    ['a continuation line', 'a.test verify\n  match=a.test\n', 2, /white space/],
    ['a duplicate key', 'a.test verify\na.test may\n', 2, /has a line already/],
    ['DOS line ends', 'a.test verify\r\n', 1, /carriage return/],
  ])('refuses %s', (_name, text, line, error) => {
    const { problems } = readPolicySource(text, 'strict');
    expect(problems.at(-1)).toMatchObject({ line });
    expect(problems.at(-1)!.error).toMatch(error);
  });

  it('allows comments, indented comments and blank lines', () => {
    const { entries, problems } = readPolicySource('# head\n\n   # indented\n\t\na.test verify\n', 'strict');
    expect(problems).toEqual([]);
    expect(entries).toEqual([{ key: 'a.test', level: 'verify', value: 'verify', line: 5 }]);
  });

  it('never echoes control characters from the file', () => {
    const { problems } = readPolicySource('a.test \u001b[2Jverify\n', 'strict');
    expect(problems[0]!.error).not.toContain('\u001b');
  });
});

describe('lenient reading (the installed table)', () => {
  it('reads any level, joins continuation lines and keeps the first of two keys, as postmap does', () => {
    const { entries, problems } = readPolicySource('a.test fingerprint\n  match=aa:bb\nb.test custom-level\nA.test may\n', 'lenient');
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { key: 'a.test', level: 'fingerprint', value: 'fingerprint match=aa:bb', line: 1 },
      { key: 'b.test', level: 'custom-level', value: 'custom-level', line: 3 },
    ]);
  });
});
