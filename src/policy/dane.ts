// DANE in the recommendation (pure). A domain whose MX hosts publish DNSSEC-validated TLSA
// records has declared how it wants to be reached: `dane-only` when every MX host matches its
// TLSA, `dane` when some do. Never a PKIX level for such a domain: `may`, `encrypt` and
// `verify` all ignore the TLSA records, silently bypassing the protection the domain published.
import { formatTlsa, tlsaParams } from '../dane/tlsa-record.js';
import type { HostResult, PolicyOptions, PolicyRecommendation, DomainResult } from '../types.js';

/** One host's DANE standing, reduced for the policy. */
export type HostDaneVerdict =
  /** No TLSA that counts (unsigned, insecure, none published): `dane` is opportunistic here. */
  | 'none'
  /** Every observed address presents a chain its usable TLSA records authenticate. */
  | 'matched'
  /** Some observed address does not match: DANE senders defer mail to it. */
  | 'mismatch'
  /** Validated TLSA records, none usable on port 25: `dane` encrypts without authentication. */
  | 'unusable'
  /** The TLSA lookup failed: a DANE sender defers; whether TLSA exist is unknown. */
  | 'failed'
  /** Usable TLSA records, but no address was observed. */
  | 'unobserved';

export function hostDaneVerdict(host: HostResult): HostDaneVerdict {
  const dane = host.dane;
  if (!dane || dane.status === 'not-applicable' || dane.status === 'no-tlsa' || dane.status === 'insecure-tlsa') return 'none';
  if (dane.status === 'failed') return 'failed';
  if (dane.usable === 0) return 'unusable';
  const judged = host.addresses.filter((a) => a.dane !== undefined);
  if (judged.length === 0) return 'unobserved';
  return judged.every((a) => a.dane!.matched) ? 'matched' : 'mismatch';
}

const NO_TLSA_WHY: Readonly<Record<string, string>> = {
  'not-applicable': 'its DNS is not DNSSEC-validated',
  'no-tlsa': 'none published',
  'insecure-tlsa': 'not DNSSEC-validated',
};

function describeHost(host: HostResult, verdict: HostDaneVerdict): string {
  switch (verdict) {
    case 'matched': {
      const by = host.addresses.find((a) => a.dane?.by)?.dane?.by;
      return by ? `${host.name} matches its TLSA (${tlsaParams(by)})` : `${host.name} matches its TLSA`;
    }
    case 'mismatch':
      return `${host.name} does not match its TLSA`;
    case 'unusable':
      return `${host.name} has TLSA records, none usable on port 25 (TLS without authentication)`;
    case 'unobserved':
      return `${host.name} has TLSA records but was not observed`;
    case 'failed':
      return `${host.name}: ${host.dane?.detail ?? 'TLSA lookup failed'}`;
    case 'none':
      return `${host.name} has no TLSA that counts (${NO_TLSA_WHY[host.dane?.status ?? 'not-applicable']}), opportunistic under dane`;
  }
}

function mismatchAlerts(host: HostResult): string[] {
  const owner = host.dane?.tlsaName ?? host.name;
  const records = host.dane?.records.map(formatTlsa).join(', ') ?? '';
  return host.addresses
    .filter((a) => a.dane && !a.dane.matched)
    .map((a) => {
      const why = a.dane!.failure === 'no-tls' ? 'it offers no working TLS' : `its certificate does not match (${a.dane!.failure ?? 'no-match'})`;
      return `ALERT: ${host.name} [${a.probe.address}]: DNSSEC-validated TLSA at ${owner} (${records}) but ${why}; DANE senders, and this dane line, defer mail to it`;
    });
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
    const what = failed.map((h) => describeHost(h.host, h.verdict)).join('; ');
    return { domain: rec.domain, kind: 'unknown', attributes: {}, reasons: [`unknown (${what}); no line written`], warnings: rec.warnings };
  }
  if (rec.kind === 'unknown') return rec;

  const unobserved = hosts.filter((h) => h.verdict === 'unobserved' || (h.verdict === 'none' && h.host.observation === 'not-observed'));
  const considered = opts.partial === 'observed' ? hosts.filter((h) => !unobserved.includes(h)) : hosts;
  const allMatch = considered.length > 0 && considered.every((h) => h.verdict === 'matched');
  const level = allMatch ? 'dane-only' : 'dane';
  const summary = allMatch
    ? `every MX host matches its DNSSEC-validated TLSA: ${considered.map((h) => describeHost(h.host, h.verdict)).join('; ')}`
    : `DANE, ${hosts.filter((h) => h.verdict === 'matched').length}/${hosts.length} MX hosts match their TLSA: ${hosts.map((h) => describeHost(h.host, h.verdict)).join('; ')}`;
  const warnings = [...rec.warnings, ...hosts.flatMap((h) => (h.verdict === 'mismatch' ? mismatchAlerts(h.host) : []))];
  if (opts.partial === 'observed' && unobserved.length > 0) {
    warnings.push(`--partial=observed: ${unobserved.map((h) => h.host.name).join(', ')} not observed; ${level} relies on the observed hosts alone`);
  }
  const without = rec.level ? [`without DANE: ${rec.level} (${rec.reasons[0] ?? ''})`] : [];
  return { ...rec, level, attributes: {}, reasons: [summary, ...without, ...rec.reasons.slice(1)], warnings };
}
