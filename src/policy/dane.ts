// DANE in the recommendation (pure). A domain whose MX hosts publish DNSSEC-validated TLSA
// records has declared how it wants to be reached: `dane-only` when every MX host matches its
// TLSA, `dane` when some do. Never a PKIX level for such a domain: `may`, `encrypt` and
// `verify` all ignore the TLSA records, silently bypassing the protection the domain published.
import { formatTlsa } from '../dane/tlsa-record.js';
import type { DaneHostFact, DomainResult, HostDaneVerdict, HostResult, PolicyOptions, PolicyRecommendation, Reason, Warning } from '../types.js';

export type { HostDaneVerdict } from '../types.js';

export function hostDaneVerdict(host: HostResult): HostDaneVerdict {
  const dane = host.dane;
  if (!dane || dane.status === 'not-applicable' || dane.status === 'no-tlsa' || dane.status === 'insecure-tlsa') return 'none';
  if (dane.status === 'failed') return 'failed';
  if (dane.usable === 0) return 'unusable';
  const judged = host.addresses.filter((a) => a.dane !== undefined);
  if (judged.length === 0) return 'unobserved';
  return judged.every((a) => a.dane!.matched) ? 'matched' : 'mismatch';
}

/** What a reason says of one host's standing (the words: src/output/reason-text.ts). */
function hostFact(host: HostResult, verdict: HostDaneVerdict): DaneHostFact {
  const fact: DaneHostFact = { host: host.name, verdict };
  if (verdict === 'matched') {
    const by = host.addresses.find((a) => a.dane?.by)?.dane?.by;
    if (by) fact.by = { usage: by.usage, selector: by.selector, matchingType: by.matchingType };
  }
  if (verdict === 'failed' && host.dane?.detail) fact.detail = host.dane.detail;
  if (verdict === 'none') {
    const status = host.dane?.status;
    fact.tlsa = status === 'no-tlsa' || status === 'insecure-tlsa' ? status : 'not-applicable';
  }
  return fact;
}

function mismatchAlerts(host: HostResult): Warning[] {
  const owner = host.dane?.tlsaName ?? host.name;
  const records = host.dane?.records.map(formatTlsa) ?? [];
  return host.addresses
    .filter((a) => a.dane && !a.dane.matched)
    .map((a) => ({ code: 'dane-mismatch', host: host.name, address: a.probe.address, owner, records, failure: a.dane!.failure ?? 'no-match' }));
}

/**
 * Replaces the PKIX recommendation when any MX host has DNSSEC-validated TLSA records. A
 * failed TLSA lookup makes the domain unknown (no line): a guess either way could bypass the
 * TLSA records or defer all mail.
 */
export function applyDane(rec: PolicyRecommendation, result: DomainResult, opts: PolicyOptions): PolicyRecommendation {
  if (rec.kind === 'no-mail') return rec;
  const hosts = result.hosts.filter((h) => h.addressLookup !== 'no-address').map((host) => ({ host, verdict: hostDaneVerdict(host) }));
  if (hosts.every((h) => h.verdict === 'none')) return rec;

  const failed = hosts.filter((h) => h.verdict === 'failed');
  if (failed.length > 0) {
    const summary: Reason = { code: 'dane-tlsa-failed', hosts: failed.map((h) => hostFact(h.host, h.verdict)) };
    return { domain: rec.domain, kind: 'unknown', attributes: {}, summary, reasons: [], warnings: rec.warnings };
  }
  if (rec.kind === 'unknown') return rec;

  const unobserved = hosts.filter((h) => h.verdict === 'unobserved' || (h.verdict === 'none' && h.host.observation === 'not-observed'));
  const considered = opts.partial === 'observed' ? hosts.filter((h) => !unobserved.includes(h)) : hosts;
  const allMatch = considered.length > 0 && considered.every((h) => h.verdict === 'matched');
  const level = allMatch ? 'dane-only' : 'dane';
  const summary: Reason = allMatch
    ? { code: 'dane-all-match', hosts: considered.map((h) => hostFact(h.host, h.verdict)) }
    : { code: 'dane-some-match', matched: hosts.filter((h) => h.verdict === 'matched').length, hosts: hosts.map((h) => hostFact(h.host, h.verdict)) };
  const warnings = [...rec.warnings, ...hosts.flatMap((h) => (h.verdict === 'mismatch' ? mismatchAlerts(h.host) : []))];
  if (opts.partial === 'observed' && unobserved.length > 0) {
    warnings.push({ code: 'partial-observed', hosts: unobserved.map((h) => h.host.name), level });
  }
  const without: Reason[] = rec.level ? [{ code: 'without-dane', level: rec.level, because: rec.summary }] : [];
  return { ...rec, level, attributes: {}, summary, reasons: [...without, ...rec.reasons], warnings };
}
