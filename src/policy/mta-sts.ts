import { checkMxHosts } from '../mta-sts/mx-match.js';
import { toPostfixMatch } from './postfix-match.js';
import { matchName } from '../tls/name-match.js';
import type { CertificateSummary, DomainResult, PolicyRecommendation } from '../types.js';

/**
 * Postfix's `secure match=` check of one pattern against a certificate: Postfix hands the
 * pattern to OpenSSL as it is (tls_client.c add_namechecks), so a host name matches like
 * `hostname` does and `.example.com` matches any certificate name below example.com, at any
 * depth (TLS_README, "dot-nexthop").
 */
function postfixAccepts(leaf: CertificateSummary, pattern: string): boolean {
  return matchName(leaf, pattern) !== undefined;
}

/**
 * A domain that publishes an MTA-STS policy in enforce mode asks senders to require TLS with a
 * verified certificate on an MX host its policy names. When our own observation already says
 * `verify` everywhere and every MX host is in the policy, that is Postfix's
 * `secure match=<patterns>`. Anything short of that keeps the observed line and says why,
 * loudly where MTA-STS senders would refuse or defer mail.
 */
export function applyMtaSts(rec: PolicyRecommendation, result: DomainResult): PolicyRecommendation {
  const sts = result.mtaSts;
  if (!sts || sts.status === 'none') return rec;
  const warn = (text: string): PolicyRecommendation => ({ ...rec, warnings: [...rec.warnings, text] });
  if (sts.status === 'invalid') return warn(`MTA-STS record published but unusable at ${sts.stage ?? 'policy'}: ${sts.reason ?? 'invalid'}`);
  if (sts.status === 'unknown') return warn(`MTA-STS unknown: ${sts.reason ?? 'lookup failed'}`);
  const policy = sts.policy;
  if (!policy || policy.mode === 'none') return rec;
  const id = sts.id ? ` (id ${sts.id})` : '';
  if (policy.mode === 'testing') return warn(`MTA-STS in testing mode${id}: reported, not enforced`);
  if (rec.level === 'dane' || rec.level === 'dane-only') {
    return { ...rec, reasons: [...rec.reasons, `MTA-STS enforce${id} also published; DANE takes precedence (RFC 8461 §2)`] };
  }

  const { unmatched } = checkMxHosts(result.hosts.map((h) => h.name), policy.mx);
  if (unmatched.length > 0) {
    return warn(`ALERT: MTA-STS enforce${id}: ${unmatched.join(', ')} not in the policy's mx (${policy.mx.join(', ')}); MTA-STS senders refuse to deliver there`);
  }
  if (rec.kind !== 'line' || rec.level !== 'verify') {
    return warn(`ALERT: MTA-STS enforce${id}, but not every MX verifies (${rec.level ?? rec.kind}); MTA-STS senders defer this mail`);
  }
  const match = toPostfixMatch(policy.mx);
  if (!match.ok) return warn(`MTA-STS enforce${id}: its mx patterns cannot be written as a Postfix match (${match.reason})`);
  const leaves = result.hosts.flatMap((h) => h.addresses.flatMap((a) => (a.observation === 'verified' && a.probe.tls?.chain[0] ? [a.probe.tls.chain[0]] : [])));
  const patterns = match.match.split(':');
  if (!leaves.every((leaf) => patterns.some((p) => postfixAccepts(leaf, p)))) {
    return warn(`MTA-STS enforce${id}: a certificate would not pass Postfix's match=${match.match}; keeping verify`);
  }
  const warnings = match.widened
    ? [...rec.warnings, `Postfix's match=${match.match} also accepts deeper names than the MTA-STS pattern ${match.wildcards.join(', ')} (one label)`]
    : rec.warnings;
  return {
    ...rec,
    level: 'secure',
    attributes: { ...rec.attributes, match: match.match },
    reasons: [`MTA-STS enforce${id}: every MX is in the policy and verifies; ${rec.reasons[0] ?? ''}`.trim(), ...rec.reasons.slice(1)],
    warnings,
    // For Postfix >= 3.10 (TLSRPT attributes, exact mx patterns); the writer decides per target.
    mtaSts: { domain: result.domain, mxPatterns: policy.mx, ...(policy.lines ? { lines: policy.lines } : {}) },
  };
}
