import type {
  AddressObservation,
  AddressResult,
  DomainResult,
  HostResult,
  PolicyLevel,
  PolicyOptions,
  PolicyRecommendation,
} from '../types.js';
import { describeFailure, describeObservation, describeTls } from './describe.js';
import { applyDane } from './dane.js';
import { applyMtaSts } from './mta-sts.js';

export const DEFAULT_POLICY_OPTIONS: PolicyOptions = { partial: 'cap', mixed: 'weakest' };

type ObservedKind = Exclude<AddressObservation, 'not-observed'>;

/** POLICY.md's per-address table: the highest level that still delivers. */
const LEVEL_FOR: Record<ObservedKind, PolicyLevel> = {
  'no-starttls': 'may',
  'tls-failed': 'may',
  'legacy-tls': 'may',
  untrusted: 'encrypt',
  'name-mismatch': 'encrypt',
  verified: 'verify',
};

const LEVEL_RANK: Partial<Record<PolicyLevel, number>> = { may: 0, encrypt: 1, verify: 2 };

function rank(level: PolicyLevel): number {
  return LEVEL_RANK[level] ?? 0;
}

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
    const where = result.internalError?.address ? ` probing ${result.internalError.address}` : '';
    const message = result.internalError?.message ?? 'unknown error';
    return { ...base, kind: 'unknown', reasons: [`unknown: internal error in mxtls${where} (a bug, not a fault of the domain): ${message}; no line written`], warnings: [] };
  }
  if (mx.status === 'nxdomain') return { ...base, kind: 'no-mail', reasons: ['accepts no mail (the domain does not exist)'], warnings: [] };
  if (mx.status === 'null-mx') return { ...base, kind: 'no-mail', reasons: ['accepts no mail (null MX, RFC 7505)'], warnings: [] };
  if (mx.status === 'no-mail-host') {
    return { ...base, kind: 'no-mail', reasons: ['accepts no mail (no MX and no A/AAAA record)'], warnings: [] };
  }
  if (mx.status === 'dns-error') {
    const detail = mx.detail ? `: ${mx.detail}` : '';
    return { ...base, kind: 'unknown', reasons: [`unknown (MX lookup ${mx.reason}${detail}); no line written`], warnings: [] };
  }

  const warnings = collectWarnings(result);
  const observed = result.hosts.filter((h) => h.observation !== 'not-observed');
  // A host whose A/AAAA are definitively empty is skipped by Postfix as well: it cannot
  // carry mail in plaintext, so it does not weaken the line.
  const unobserved = result.hosts.filter((h) => h.observation === 'not-observed' && h.addressLookup !== 'no-address');

  if (observed.length === 0) {
    return declared({ ...base, kind: 'unknown', reasons: [`unknown (${unobservedSummary(result)}); no line written`], warnings }, result, opts);
  }

  const chosen = opts.mixed === 'strongest' ? strongestPreferred(observed) : weakest(observed);
  let level = chosen.level;
  const reasons = [summaryReason(result, observed, chosen.host, level)];

  if (opts.mixed === 'strongest') {
    const skipped = observed.filter((h) => rank(levelOf(h) ?? 'may') < rank(level));
    if (skipped.length > 0) {
      warnings.push(`--mixed=strongest: Postfix would skip ${skipped.map((h) => `${h.name} (${levelOf(h)})`).join(', ')}`);
    }
  }

  if (unobserved.length > 0) {
    const names = unobserved.map((h) => h.name).join(', ');
    if (opts.partial === 'cap' && rank(level) > rank('may')) {
      reasons.unshift(`${names} not observed, its TLS is unknown and could be plaintext; capped at may (would be ${level})`);
      level = 'may';
    } else if (opts.partial === 'observed') {
      warnings.push(`--partial=observed: ${names} not observed; the line relies on the observed hosts alone`);
    } else {
      reasons.push(`${names} not observed`);
    }
  }

  return declared({ ...base, kind: 'line', level, reasons, warnings }, result, opts);
}

/** What the domain declares overrides what was observed: DANE first, it wins over MTA-STS (RFC 8461 §2). */
function declared(rec: PolicyRecommendation, result: DomainResult, opts: PolicyOptions): PolicyRecommendation {
  return applyMtaSts(applyDane(rec, result, opts), result);
}

function weakest(observed: HostResult[]): { host: HostResult; level: PolicyLevel } {
  let best = observed[0]!;
  for (const h of observed) if (rank(levelOf(h)!) < rank(levelOf(best)!)) best = h;
  return { host: best, level: levelOf(best)! };
}

/** The strongest level among the most-preferred observed MX hosts (lowest preference value). */
function strongestPreferred(observed: HostResult[]): { host: HostResult; level: PolicyLevel } {
  const top = Math.min(...observed.map((h) => h.preference));
  let best: HostResult | undefined;
  for (const h of observed) {
    if (h.preference !== top) continue;
    if (!best || rank(levelOf(h)!) > rank(levelOf(best)!)) best = h;
  }
  return { host: best!, level: levelOf(best!)! };
}

function addressesOf(hosts: HostResult[]): AddressResult[] {
  return hosts.flatMap((h) => h.addresses);
}

function summaryReason(result: DomainResult, observed: HostResult[], weakestHost: HostResult, level: PolicyLevel): string {
  const all = addressesOf(result.hosts);
  const seen = addressesOf(observed).filter((a) => a.observation !== 'not-observed');
  const verified = seen.filter((a) => a.observation === 'verified');
  if (level === 'verify') {
    const first = verified[0];
    const tls = first ? ` (${weakestHost.name} ${describeTls(first.probe)})` : '';
    return `${verified.length}/${all.length} MX addresses verified${tls}`;
  }
  const addr = weakestHost.addresses.find((a) => a.observation === weakestHost.observation);
  const action = level === 'may' ? 'staying opportunistic' : 'encrypting without certificate checks';
  return `${weakestHost.name}: ${describeObservation(weakestHost.observation)}${addr ? detailOf(addr) : ''}; ${action}`;
}

function detailOf(a: AddressResult): string {
  const tls = a.probe.tls;
  if (a.observation === 'untrusted' && tls) return ` (${tls.trust.verdict})`;
  if (a.observation === 'legacy-tls' && tls) return ` (${tls.protocol})`;
  if (a.observation === 'tls-failed') return ` (${describeFailure(a.probe)})`;
  return '';
}

function unobservedSummary(result: DomainResult): string {
  const all = addressesOf(result.hosts);
  if (all.length === 0) return 'no MX host has an address';
  const kinds = new Set(all.map((a) => (a.probe.failure ? a.probe.failure.kind : 'no answer')));
  return `none of ${all.length} MX addresses could be observed: ${[...kinds].join(', ')}`;
}

function collectWarnings(result: DomainResult): string[] {
  const warnings: string[] = [];
  for (const host of result.hosts) {
    if (host.addressLookup === 'no-address') warnings.push(`${host.name} has no A/AAAA record; Postfix skips it`);
    if (host.addressLookup === 'failed') warnings.push(`${host.name}: address lookup failed`);
    for (const a of host.addresses) {
      const where = `${host.name} [${a.probe.address}]`;
      if (a.observation === 'tls-failed') warnings.push(`${where}: STARTTLS offered but TLS fails (${describeFailure(a.probe)})`);
      if (a.observation === 'legacy-tls') warnings.push(`${where}: only legacy TLS works (${a.probe.tls?.protocol}); upgrade the server`);
      if (a.observation === 'not-observed' && a.probe.failure) warnings.push(`${where}: not observed (${describeFailure(a.probe)})`);
      if (a.observation === 'name-mismatch' && (a.names?.nexthop || a.names?.dotNexthop)) {
        warnings.push(`${where}: certificate matches the domain, not the MX name: would pass "secure"`);
      }
    }
  }
  return warnings;
}
