// Targets x levels x attributes: no line ever carries an attribute its Postfix rejects. The
// expectations are restated here from postconf(5) smtp_tls_policy_maps and TLSRPT_README, apart
// from src/policy/postfix-attributes.ts, so a wrong rule there fails here.
import { describe, expect, it } from 'vitest';
import { renderPolicyFile } from '../../../src/output/policy-file.js';
import { DEFAULT_TARGET, parsePostfixTarget, type PostfixTarget } from '../../../src/policy/postfix-target.js';
import type { PolicyLevel } from '../../../src/types.js';
import { parsePolicyValue } from '../../helpers/postfix-policy-value.js';
import { rec, sampleItems } from '../../helpers/output-fixtures.js';

const meta = { version: '1.2.0', generatedAt: '2026-11-21T02:00:00Z' };

function target(label: string): PostfixTarget {
  const parsed = parsePostfixTarget(label);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.target;
}

const TARGETS: PostfixTarget[] = [DEFAULT_TARGET, ...['3.3.4', '3.4.0', '3.7.11', '3.9.0', '3.10.0', '3.10.4', '3.10.5', '3.11.0'].map(target)];
const LEVELS: PolicyLevel[] = ['none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure'];
const TLS: PolicyLevel[] = LEVELS.filter((level) => level !== 'none');

/** A value each attribute may carry, as the writer's validator accepts it. */
const SAMPLE: Record<string, string> = {
  match: 'mx.example.com',
  protocols: '>=TLSv1.2',
  ciphers: 'high',
  exclude: 'aNULL',
  servername: 'mx.example.com',
  connection_reuse: 'yes',
  enable_rpk: 'yes',
  policy_type: 'sts',
  policy_domain: 'example.com',
  mx_host_pattern: '*.example.com',
  policy_string: 'mode: enforce',
  policy_failure: 'sts-webpki-invalid',
  policy_ttl: '86400',
};

/** Since which version, and at which levels, the documents allow each attribute. */
const DOCUMENTED: Record<string, { since: [number, number]; levels: PolicyLevel[] } | 'never'> = {
  match: { since: [2, 5], levels: ['fingerprint', 'verify', 'secure'] }, // never at dane or dane-only
  protocols: { since: [2, 6], levels: TLS },
  ciphers: { since: [2, 6], levels: TLS },
  exclude: { since: [2, 6], levels: TLS },
  servername: { since: [3, 4], levels: TLS },
  connection_reuse: { since: [3, 4], levels: TLS },
  enable_rpk: { since: [3, 9], levels: ['may', 'encrypt', 'fingerprint'] },
  // Accepted by 3.10 at any TLS level, but only meaningful for an STS policy: mxtls writes it
  // on secure lines only.
  policy_type: { since: [3, 10], levels: ['secure'] },
  // Without policy_type, 3.10 rejects the lookup ("built-in policy has unexpected attribute").
  policy_domain: 'never',
  mx_host_pattern: 'never',
  policy_string: 'never',
  // Never written (docs/policy.md says why).
  policy_failure: 'never',
  policy_ttl: 'never',
};

function documented(t: PostfixTarget, level: PolicyLevel, name: string): boolean {
  const rule = DOCUMENTED[name];
  if (rule === undefined || rule === 'never') return false;
  const [major, minor] = rule.since;
  const newEnough = t.version[0] > major || (t.version[0] === major && t.version[1] >= minor);
  return newEnough && rule.levels.includes(level);
}

const entries = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
const [item] = sampleItems();

describe('no line carries an attribute its target rejects', () => {
  const cases = TARGETS.flatMap((t) => LEVELS.map((level) => [t.label, level, t] as const));
  it.each(cases)('Postfix %s, %s: each attribute written exactly where documented', (_label, level, t) => {
    for (const [name, sample] of Object.entries(SAMPLE)) {
      const text = renderPolicyFile({ ...meta, postfix: t }, [{ result: item!.result, rec: rec('example.com', { level, attributes: { [name]: sample } }) }]);
      const written = entries(text);
      if (documented(t, level, name)) {
        expect(written, `${name}= should be written`).toHaveLength(1);
        const parsed = parsePolicyValue(written[0]!.slice('example.com'.length));
        expect(parsed, name).toEqual({ ok: true, level, attributes: [[name, sample]] });
      } else {
        expect(written, `${name}= should not be written:\n${text}`).toEqual([]);
        expect(text, name).toMatch(/no line written/);
      }
    }
  });

  it('the header names the target', () => {
    for (const t of TARGETS) expect(renderPolicyFile({ ...meta, postfix: t }, [])).toMatch(new RegExp(`^# mxtls 1\\.2\\.0 policy for Postfix ${t.label.replaceAll('.', '\\.')}, `));
  });

  it('policy_domain is accepted once policy_type is on the line too (3.10)', () => {
    const text = renderPolicyFile({ ...meta, postfix: target('3.10.5') }, [
      { result: item!.result, rec: rec('example.com', { level: 'secure', attributes: { match: 'mx.example.com', policy_type: 'sts', policy_domain: 'example.com' } }) },
    ]);
    expect(entries(text)).toEqual(['example.com     secure match=mx.example.com policy_type=sts policy_domain=example.com']);
  });
});
