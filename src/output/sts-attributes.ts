// The Postfix 3.10 attributes of an MTA-STS `secure` line (TLSRPT_README, "MTA-STS Support via
// smtp_tls_policy_maps"): policy_type=sts, policy_domain=, one mx_host_pattern= per policy mx
// line in RFC 8461 form, one { policy_string = ... } per policy line. Everything here comes from
// the network, so each value passes the same validator as every other attribute
// (isValidAttribute); one value that fails leaves all of them out, never a partial policy.
import { isValidAttribute, MAX_POLICY_STRING_LENGTH } from '../policy/postfix-syntax.js';
import { STS_ATTRIBUTES_SINCE, STS_MX_PATTERNS_ENFORCED_SINCE, type PostfixTarget, targetAtLeast } from '../policy/postfix-target.js';
import type { PolicyRecommendation } from '../types.js';

export type Attribute = readonly [name: string, value: string];

export type StsAttributes =
  /** Nothing to add: not an MTA-STS line, or the target predates the attributes. */
  | { kind: 'none' }
  | { kind: 'added'; attributes: Attribute[]; note: string }
  | { kind: 'left-out'; note: string };

/** Where the attributes are left out, the line still has match=, which every 3.x reads. */
const FALLBACK = 'match= alone decides';

function describeTarget(target: PostfixTarget): string {
  if (targetAtLeast(target, STS_MX_PATTERNS_ENFORCED_SINCE)) {
    return 'uses only MX hosts matching an mx_host_pattern ("*" is one label, RFC 8461) and checks the certificate against the MX name (smtp_tls_enforce_sts_mx_patterns); TLSRPT reports name this policy';
  }
  return 'names this policy in TLSRPT reports but enforces mx_host_pattern only from 3.10.5: match= decides';
}

/** The TLSRPT attributes for this line and target, or why they are left out. */
export function stsAttributes(rec: PolicyRecommendation, target: PostfixTarget): StsAttributes {
  const sts = rec.mtaSts;
  if (sts === undefined || rec.level !== 'secure' || !targetAtLeast(target, STS_ATTRIBUTES_SINCE)) return { kind: 'none' };
  const leftOut = (why: string): StsAttributes => ({ kind: 'left-out', note: `Postfix ${target.label} TLSRPT attributes left out: ${why}; ${FALLBACK}` });
  if (sts.domain !== rec.domain || !isValidAttribute('policy_domain', sts.domain)) return leftOut('the policy domain is not the key');
  const bad = sts.mxPatterns.find((pattern) => !isValidAttribute('mx_host_pattern', pattern));
  if (bad !== undefined) return leftOut(`mx pattern ${JSON.stringify(bad)} is not a host name or *.host name`);
  if (sts.mxPatterns.length === 0) return leftOut('the policy has no mx pattern');
  // Postfix strips white space around a braced value (extpar, EXTPAR_FLAG_STRIP): trim it first
  // so the file says what Postfix will read.
  const lines = (sts.lines ?? []).map((line) => line.replace(/^[ \t]+|[ \t]+$/g, ''));
  const badLine = lines.findIndex((line) => !isValidAttribute('policy_string', line));
  if (badLine >= 0) return leftOut(`policy line ${badLine + 1} cannot be a policy_string (only printable ASCII without braces, at most ${MAX_POLICY_STRING_LENGTH} characters)`);
  const attributes: Attribute[] = [
    ['policy_type', 'sts'],
    ['policy_domain', sts.domain],
    ...sts.mxPatterns.map((pattern): Attribute => ['mx_host_pattern', pattern]),
    ...lines.map((line): Attribute => ['policy_string', line]),
  ];
  const noText = sts.lines === undefined ? ' (the saved result has no policy text: no policy_string; scan again to add it)' : '';
  return { kind: 'added', attributes, note: `Postfix ${target.label} ${describeTarget(target)}${noText}` };
}
