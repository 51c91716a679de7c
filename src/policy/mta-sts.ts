import { checkMxHosts } from '../mta-sts/mx-match.js';
import { toPostfixMatch } from './postfix-match.js';
import { matchName } from '../tls/name-match.js';
import type { CertificateSummary, DomainResult, PolicyRecommendation, Warning } from '../types.js';

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
  const warn = (warning: Warning): PolicyRecommendation => ({ ...rec, warnings: [...rec.warnings, warning] });
  if (sts.status === 'invalid') return warn({ code: 'mta-sts-invalid', ...(sts.stage ? { stage: sts.stage } : {}), ...(sts.reason ? { reason: sts.reason } : {}) });
  if (sts.status === 'unknown') return warn({ code: 'mta-sts-unknown', ...(sts.reason ? { reason: sts.reason } : {}) });
  const policy = sts.policy;
  if (!policy || policy.mode === 'none') return rec;
  const id = sts.id ? { id: sts.id } : {};
  if (policy.mode === 'testing') return warn({ code: 'mta-sts-testing', ...id });
  if (rec.level === 'dane' || rec.level === 'dane-only') {
    return { ...rec, reasons: [...rec.reasons, { code: 'mta-sts-also', ...id }] };
  }

  const { unmatched } = checkMxHosts(result.hosts.map((h) => h.name), policy.mx);
  if (unmatched.length > 0) return warn({ code: 'mta-sts-mx-not-in-policy', ...id, hosts: unmatched, patterns: policy.mx });
  if (rec.kind !== 'line' || rec.level !== 'verify') return warn({ code: 'mta-sts-not-verified', ...id, standing: rec.level ?? rec.kind });
  const match = toPostfixMatch(policy.mx);
  if (!match.ok) return warn({ code: 'mta-sts-no-postfix-match', ...id, cause: match.cause, ...(match.cause === 'pattern' ? { pattern: match.pattern } : {}) });
  const leaves = result.hosts.flatMap((h) => h.addresses.flatMap((a) => (a.observation === 'verified' && a.probe.tls?.chain[0] ? [a.probe.tls.chain[0]] : [])));
  const patterns = match.match.split(':');
  if (!leaves.every((leaf) => patterns.some((p) => postfixAccepts(leaf, p)))) return warn({ code: 'mta-sts-match-fails', ...id, match: match.match });
  const warnings: Warning[] = match.widened ? [...rec.warnings, { code: 'mta-sts-match-widened', match: match.match, wildcards: match.wildcards }] : rec.warnings;
  return {
    ...rec,
    level: 'secure',
    attributes: { ...rec.attributes, match: match.match },
    summary: { code: 'mta-sts-secure', ...id, because: rec.summary },
    warnings,
    // For Postfix >= 3.10 (TLSRPT attributes, exact mx patterns); the writer decides per target.
    mtaSts: { domain: result.domain, mxPatterns: policy.mx, ...(policy.lines ? { lines: policy.lines } : {}) },
  };
}
