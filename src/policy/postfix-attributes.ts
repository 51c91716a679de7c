// Which attribute a Postfix version accepts on which policy level: the table every line is
// checked against before it is written, so no line carries an attribute its reader rejects.
// Postfix answers an unknown or misplaced attribute with "invalid attribute name" / "attribute
// ... invalid at security level" and defers the mail (smtp_tls_policy.c,
// tls_policy_lookup_one()); postconf(5) smtp_tls_policy_maps and TLSRPT_README say since when
// each one exists. Only the attributes mxtls may write are listed: any other name (tafile,
// policy_ttl, policy_failure) is refused for every target.
import type { PolicyLevel } from '../types.js';
import { type PostfixTarget, type PostfixVersion, STS_ATTRIBUTES_SINCE, targetAtLeast } from './postfix-target.js';

/** Levels that do TLS; `none` takes no attributes at all (Postfix ignores them with a warning). */
const TLS_LEVELS: readonly PolicyLevel[] = ['may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure'];

interface AttributeRule {
  since: PostfixVersion;
  levels: readonly PolicyLevel[];
  /** May the attribute appear more than once on one line? */
  repeats: boolean;
}

const ATTRIBUTE_RULES: Readonly<Record<string, AttributeRule>> = {
  // Certificate name patterns (verify, secure; 2.3) or fingerprints (fingerprint, 2.5). Postfix
  // rejects match= at every other level, dane and dane-only included ("invalid at security level").
  match: { since: [2, 5, 0], levels: ['fingerprint', 'verify', 'secure'], repeats: true },
  protocols: { since: [2, 6, 0], levels: TLS_LEVELS, repeats: false },
  ciphers: { since: [2, 6, 0], levels: TLS_LEVELS, repeats: false },
  exclude: { since: [2, 6, 0], levels: TLS_LEVELS, repeats: false },
  servername: { since: [3, 4, 0], levels: TLS_LEVELS, repeats: false },
  connection_reuse: { since: [3, 4, 0], levels: TLS_LEVELS, repeats: false },
  enable_rpk: { since: [3, 9, 0], levels: ['may', 'encrypt', 'fingerprint'], repeats: false },
  // The MTA-STS policy for TLSRPT (3.10). Postfix takes them at any TLS level but "it is an error
  // to specify these attributes for a non-STS policy" (TLSRPT_README), and at the dane levels
  // Postfix reports the DANE policy and ignores them (smtp_tlsrpt.c, smtp_tlsrpt_set_tls_policy):
  // mxtls writes them on MTA-STS `secure` lines only.
  policy_type: { since: STS_ATTRIBUTES_SINCE, levels: ['secure'], repeats: false },
  policy_domain: { since: STS_ATTRIBUTES_SINCE, levels: ['secure'], repeats: false },
  mx_host_pattern: { since: STS_ATTRIBUTES_SINCE, levels: ['secure'], repeats: true },
  policy_string: { since: STS_ATTRIBUTES_SINCE, levels: ['secure'], repeats: true },
};

/** Does `target` accept attribute `name` on a line of this level? */
function acceptsAttribute(target: PostfixTarget, level: PolicyLevel, name: string): boolean {
  const rule = Object.hasOwn(ATTRIBUTE_RULES, name) ? ATTRIBUTE_RULES[name] : undefined;
  return rule !== undefined && targetAtLeast(target, rule.since) && rule.levels.includes(level);
}

/**
 * The first attribute of a line that `target` would reject: an unknown name, one too new, one
 * misplaced for the level, a single-instance one given twice, or a TLSRPT attribute without
 * policy_type (3.10 rejects that lookup: "built-in policy has unexpected attribute").
 */
export function rejectedAttribute(target: PostfixTarget, level: PolicyLevel, attributes: ReadonlyArray<readonly [string, string]>): string | undefined {
  const seen = new Set<string>();
  for (const [name] of attributes) {
    if (!acceptsAttribute(target, level, name)) return name;
    if (seen.has(name) && !ATTRIBUTE_RULES[name]!.repeats) return name;
    seen.add(name);
  }
  const needsType = ['policy_domain', 'mx_host_pattern', 'policy_string'].find((name) => seen.has(name));
  return needsType !== undefined && !seen.has('policy_type') ? needsType : undefined;
}
