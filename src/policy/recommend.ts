import {
  levelRank,
  type AddressProbe,
  type AddressResult,
  type DomainResult,
  type HostResult,
  type ObservedKind,
  type PolicyLevel,
  type PolicyOptions,
  type PolicyRecommendation,
  type ProbeFailureFact,
  type Reason,
  type Warning,
} from '../types.js';
import { applyDane } from './dane.js';
import { applyMtaSts } from './mta-sts.js';

export const DEFAULT_POLICY_OPTIONS: PolicyOptions = { partial: 'cap', mixed: 'weakest' };

/** POLICY.md's per-address table: the highest level that still delivers. */
const LEVEL_FOR: Record<ObservedKind, PolicyLevel> = {
  'no-starttls': 'may',
  'tls-failed': 'may',
  'legacy-tls': 'may',
  untrusted: 'encrypt',
  'name-mismatch': 'encrypt',
  verified: 'verify',
};

function levelOf(host: HostResult): PolicyLevel | undefined {
  return host.observation === 'not-observed' ? undefined : LEVEL_FOR[host.observation];
}

/** DomainResult → one Postfix policy line with its reasons. Pure: same input, same line. */
export function recommendPolicy(result: DomainResult, options: Partial<PolicyOptions> = {}): PolicyRecommendation {
  const opts = { ...DEFAULT_POLICY_OPTIONS, ...options };
  const base = { domain: result.domain, attributes: {} as Record<string, string> };
  const mx = result.mx;

  // POLICY.md rule 0: a bug of ours decides nothing about the domain.
  if (result.status === 'internal-error') {
    const e = result.internalError;
    const summary: Reason = { code: 'internal-error', ...(e?.address ? { address: e.address } : {}), message: e?.message ?? 'unknown error' };
    return { ...base, kind: 'unknown', summary, reasons: [], warnings: [] };
  }
  if (mx.status === 'nxdomain' || mx.status === 'null-mx' || mx.status === 'no-mail-host') {
    return { ...base, kind: 'no-mail', summary: { code: 'no-mail', cause: mx.status }, reasons: [], warnings: [] };
  }
  if (mx.status === 'dns-error') {
    const summary: Reason = { code: 'mx-lookup-failed', status: mx.reason, ...(mx.detail ? { detail: mx.detail } : {}) };
    return { ...base, kind: 'unknown', summary, reasons: [], warnings: [] };
  }

  const warnings = collectWarnings(result);
  const observed = result.hosts.filter((h) => h.observation !== 'not-observed');
  // A host whose A/AAAA are definitively empty is skipped by Postfix as well: it cannot
  // carry mail in plaintext, so it does not weaken the line.
  const unobserved = result.hosts.filter((h) => h.observation === 'not-observed' && h.addressLookup !== 'no-address');

  if (observed.length === 0) {
    return declared({ ...base, kind: 'unknown', summary: unobservedSummary(result), reasons: [], warnings }, result, opts);
  }

  const chosen = opts.mixed === 'strongest' ? strongestPreferred(observed) : weakest(observed);
  let level = chosen.level;
  let summary = summaryReason(result, observed, chosen.host, level);
  const reasons: Reason[] = [];

  if (opts.mixed === 'strongest') {
    const skipped = observed.filter((h) => levelRank(levelOf(h) ?? 'may') < levelRank(level));
    if (skipped.length > 0) {
      warnings.push({ code: 'mixed-strongest-skips', hosts: skipped.map((h) => ({ host: h.name, level: levelOf(h)! })) });
    }
  }

  if (unobserved.length > 0) {
    const hosts = unobserved.map((h) => h.name);
    if (opts.partial === 'cap' && levelRank(level) > levelRank('may')) {
      reasons.unshift(summary);
      summary = { code: 'unobserved-capped', hosts, wouldBe: level };
      level = 'may';
    } else if (opts.partial === 'observed') {
      warnings.push({ code: 'partial-observed', hosts });
    } else {
      reasons.push({ code: 'unobserved', hosts });
    }
  }

  return declared({ ...base, kind: 'line', level, summary, reasons, warnings }, result, opts);
}

/** What the domain declares overrides what was observed: DANE first, it wins over MTA-STS (RFC 8461 §2). */
function declared(rec: PolicyRecommendation, result: DomainResult, opts: PolicyOptions): PolicyRecommendation {
  return applyMtaSts(applyDane(rec, result, opts), result);
}

function weakest(observed: HostResult[]): { host: HostResult; level: PolicyLevel } {
  let best = observed[0]!;
  for (const h of observed) if (levelRank(levelOf(h)!) < levelRank(levelOf(best)!)) best = h;
  return { host: best, level: levelOf(best)! };
}

/** The strongest level among the most-preferred observed MX hosts (lowest preference value). */
function strongestPreferred(observed: HostResult[]): { host: HostResult; level: PolicyLevel } {
  const top = Math.min(...observed.map((h) => h.preference));
  let best: HostResult | undefined;
  for (const h of observed) {
    if (h.preference !== top) continue;
    if (!best || levelRank(levelOf(h)!) > levelRank(levelOf(best)!)) best = h;
  }
  return { host: best!, level: levelOf(best!)! };
}

function addressesOf(hosts: HostResult[]): AddressResult[] {
  return hosts.flatMap((h) => h.addresses);
}

/** How a probe failed, as a reason states it: the failure, else the STARTTLS reply. */
export function failureFact(probe: AddressProbe): ProbeFailureFact {
  const f = probe.failure;
  if (f) return { kind: f.kind, stage: f.stage, ...(f.code ? { code: f.code } : {}) };
  return probe.starttlsReply ? { starttlsReply: probe.starttlsReply.code } : {};
}

function summaryReason(result: DomainResult, observed: HostResult[], weakestHost: HostResult, level: PolicyLevel): Reason {
  const all = addressesOf(result.hosts);
  const seen = addressesOf(observed).filter((a) => a.observation !== 'not-observed');
  const verified = seen.filter((a) => a.observation === 'verified');
  if (level === 'verify') {
    const tls = verified[0]?.probe.tls;
    const first = verified[0] ? { host: weakestHost.name, ...(tls ? { protocol: tls.protocol, cipher: tls.cipher } : {}) } : {};
    return { code: 'verified', verified: verified.length, addresses: all.length, ...first };
  }
  const addr = weakestHost.addresses.find((a) => a.observation === weakestHost.observation);
  return { code: 'weakest-host', host: weakestHost.name, observation: weakestHost.observation as ObservedKind, level, ...(addr ? detailOf(addr) : {}) };
}

function detailOf(a: AddressResult): Pick<Extract<Reason, { code: 'weakest-host' }>, 'trust' | 'protocol' | 'failure'> {
  const tls = a.probe.tls;
  if (a.observation === 'untrusted' && tls) return { trust: tls.trust.verdict };
  if (a.observation === 'legacy-tls' && tls) return { protocol: tls.protocol };
  if (a.observation === 'tls-failed') return { failure: failureFact(a.probe) };
  return {};
}

function unobservedSummary(result: DomainResult): Reason {
  const all = addressesOf(result.hosts);
  const failures = new Set(all.map((a) => a.probe.failure?.kind ?? ('no-answer' as const)));
  return { code: 'none-observed', addresses: all.length, failures: [...failures] };
}

function collectWarnings(result: DomainResult): Warning[] {
  const warnings: Warning[] = [];
  for (const host of result.hosts) {
    if (host.addressLookup === 'no-address') warnings.push({ code: 'host-no-address', host: host.name });
    if (host.addressLookup === 'failed') warnings.push({ code: 'host-lookup-failed', host: host.name });
    for (const a of host.addresses) {
      const where = { host: host.name, address: a.probe.address };
      if (a.observation === 'tls-failed') warnings.push({ code: 'tls-fails', ...where, failure: failureFact(a.probe) });
      if (a.observation === 'legacy-tls') warnings.push({ code: 'legacy-tls-only', ...where, ...(a.probe.tls ? { protocol: a.probe.tls.protocol } : {}) });
      if (a.observation === 'not-observed' && a.probe.failure) warnings.push({ code: 'address-not-observed', ...where, failure: failureFact(a.probe) });
      if (a.observation === 'name-mismatch' && (a.names?.nexthop || a.names?.dotNexthop)) warnings.push({ code: 'matches-domain-not-mx', ...where });
    }
  }
  return warnings;
}
