import { describe, expect, it } from 'vitest';
import { parsePolicyMapSource, policyLineFor } from '../../src/policy/policy-map-source.js';

describe('parsePolicyMapSource', () => {
  it('reads lines as postmap does: comments, blank lines, continuation lines, keys lower-cased', () => {
    const source = parsePolicyMapSource(
      [
        '# mxtls policy',
        '  # an indented comment',
        '',
        'Example.COM   secure match=.example.com',
        '    protocols=>=TLSv1.2',
        'legacy.example may',
        '[relay.example]:587 encrypt',
        '.sub.example verify',
        'sts.example secure match=mx.sts.example { policy_string = version=STSv1 } policy_type=sts',
      ].join('\n'),
    );
    expect(source.problems).toEqual([]);
    expect([...source.lines.values()]).toEqual([
      { key: 'example.com', level: 'secure', value: 'secure match=.example.com protocols=>=TLSv1.2', line: 4 },
      { key: 'legacy.example', level: 'may', value: 'may', line: 6 },
      { key: '[relay.example]:587', level: 'encrypt', value: 'encrypt', line: 7 },
      { key: '.sub.example', level: 'verify', value: 'verify', line: 8 },
      { key: 'sts.example', level: 'secure', value: 'secure match=mx.sts.example { policy_string = version=STSv1 } policy_type=sts', line: 9 },
    ]);
  });

  it('names what Postfix would reject or mxtls cannot read, and keeps the first of repeated keys', () => {
    const source = parsePolicyMapSource(
      ['bad_key! verify', 'a.example bogus', 'b.example verify match=', 'c.example verify', 'C.example none', 'd.example'].join('\n'),
    );
    expect(source.problems).toEqual([
      'line 1: "bad_key!" is not a policy key',
      'line 2: a.example: "bogus" is not a TLS security level',
      'line 3: b.example: attribute "match=" not understood',
      'line 5: c.example repeats line 4; Postfix uses the first',
      'line 6: d.example: "" is not a TLS security level',
    ]);
    expect(source.lines.get('c.example')?.level).toBe('verify');
  });
});

describe('policyLineFor: the lookup order of tls_policy_lookup()', () => {
  const source = parsePolicyMapSource(['example.com verify', '.example.com encrypt', '.example.net may', '[mx.example.org]:25 secure'].join('\n'));

  it('the domain itself first, then each parent with a leading dot', () => {
    expect(policyLineFor(source, 'example.com')?.key).toBe('example.com');
    expect(policyLineFor(source, 'a.b.example.com')?.key).toBe('.example.com');
    expect(policyLineFor(source, 'a.example.net')?.key).toBe('.example.net');
  });

  it('".example.net" does not cover example.net itself, and next-hop keys never match a domain', () => {
    expect(policyLineFor(source, 'example.net')).toBeUndefined();
    expect(policyLineFor(source, 'mx.example.org')).toBeUndefined();
    expect(policyLineFor(source, 'example.org')).toBeUndefined();
  });
});
