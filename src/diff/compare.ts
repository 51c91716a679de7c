// Previous snapshot vs today's, domain by domain, into typed changes. Pure: the clock comes in
// as `now`. Domain-level facts (the line, the MX set, STARTTLS per host) are here; facts about
// one address (certificates, failures, expiry) are in compare-addresses.ts.

import { levelRank, type PolicyLevel } from '../types.js';
import type { Change, ChangeFact, StarttlsSummary } from './change.js';
import { addressChanges, expiryChanges, type ExpiryOptions } from './compare-addresses.js';
import { severityOf, withSeverity } from './severity.js';
import type { DomainSnapshot, HostSnapshot } from './snapshot.js';

export type CompareOptions = ExpiryOptions;

function becameUnknown(prev: DomainSnapshot, cur: DomainSnapshot): ChangeFact[] {
  if (prev.kind === 'unknown') return [];
  const details = { from: prev.kind, ...(prev.level ? { level: prev.level } : {}), carriedOver: cur.carriedOverFrom !== undefined };
  return [{ domain: cur.domain, type: 'became-unknown', details }];
}

function policyChanges(prev: DomainSnapshot, cur: DomainSnapshot): ChangeFact[] {
  const domain = cur.domain;
  // Today's scan was inconclusive and wears an earlier line (--previous): unknown for the diff,
  // reported once, when it starts. As a previous run it is the line then in force, so the
  // next conclusive scan is compared with that line.
  if (cur.carriedOverFrom !== undefined) return prev.carriedOverFrom !== undefined ? [] : becameUnknown(prev, cur);
  if (prev.kind === 'line' && cur.kind === 'line' && prev.level && cur.level) {
    const from = prev.level;
    const to = cur.level;
    if (levelRank(to) === levelRank(from)) return [];
    return [{ domain, type: levelRank(to) < levelRank(from) ? 'level-down' : 'level-up', details: { from, to } }];
  }
  if (cur.kind === 'unknown') return becameUnknown(prev, cur);
  if (cur.kind === prev.kind) return [];
  const levels = { ...(prev.level ? { fromLevel: prev.level } : {}), ...(cur.level ? { toLevel: cur.level } : {}) };
  return [{ domain, type: 'kind-changed', details: { from: prev.kind, to: cur.kind, ...levels } }];
}

function mxChanges(prev: DomainSnapshot, cur: DomainSnapshot): ChangeFact[] {
  // Hosts are only known when MX resolution worked both times; a DNS failure is not a new MX set.
  if (prev.status !== 'scanned' || cur.status !== 'scanned') return [];
  const before = new Set(prev.hosts.map((h) => h.name));
  const after = new Set(cur.hosts.map((h) => h.name));
  const added = [...after].filter((name) => !before.has(name)).sort();
  const removed = [...before].filter((name) => !after.has(name)).sort();
  if (added.length === 0 && removed.length === 0) return [];
  return [{ domain: cur.domain, type: 'mx-changed', details: { added, removed } }];
}

const STARTTLS_RANK: Record<StarttlsSummary, number> = { none: 0, some: 1, all: 2 };

/** Over the addresses that were observed; undefined when none was (nothing is known). */
function starttlsOf(host: HostSnapshot): StarttlsSummary | undefined {
  const observed = host.addresses.filter((a) => a.observation !== 'not-observed');
  if (observed.length === 0) return undefined;
  const offering = observed.filter((a) => a.observation !== 'no-starttls').length;
  return offering === observed.length ? 'all' : offering === 0 ? 'none' : 'some';
}

function starttlsChanges(prev: DomainSnapshot, cur: DomainSnapshot): ChangeFact[] {
  return cur.hosts.flatMap((host): ChangeFact[] => {
    const before = prev.hosts.find((h) => h.name === host.name);
    const from = before && starttlsOf(before);
    const to = starttlsOf(host);
    if (from === undefined || to === undefined || from === to) return [];
    const type = STARTTLS_RANK[to] < STARTTLS_RANK[from] ? 'starttls-lost' : 'starttls-gained';
    return [{ domain: cur.domain, type, details: { host: host.name, from, to } }];
  });
}

/** Every change of one domain of this run; `previous` is undefined when it is new. */
export function compareDomain(previous: DomainSnapshot | undefined, current: DomainSnapshot, options: CompareOptions): Change[] {
  const facts: ChangeFact[] = previous
    ? [
        ...policyChanges(previous, current),
        ...mxChanges(previous, current),
        ...starttlsChanges(previous, current),
        ...addressChanges(previous, current),
      ]
    : [{ domain: current.domain, type: 'domain-new', details: { kind: current.kind, ...(current.level ? { level: current.level } : {}) } }];
  // Expiry is about today's certificates, so new and unchanged domains get it too.
  return [...facts, ...expiryChanges(previous, current, options)].map(withSeverity);
}

/** Domains of the previous run that this run did not have; only known once the run is over. */
export function goneDomains(previous: ReadonlyMap<string, DomainSnapshot>, seen: { has(domain: string): boolean }): Change[] {
  const gone: Change[] = [];
  for (const [domain, snap] of previous) if (!seen.has(domain)) gone.push(goneChange(domain, snap));
  return gone;
}

/** The change of one domain that is not in this run. */
export function goneChange(domain: string, snap: DomainSnapshot): Change {
  const scannedAt = new Date(snap.scannedAt).toISOString();
  const details = snap.level ? { kind: snap.kind, level: snap.level, scannedAt } : { kind: snap.kind, scannedAt };
  const fact: ChangeFact = { domain, type: 'domain-gone', details };
  // A literal, not withSeverity's spread: a million of these after a list shrank took ~400 bytes each.
  return { domain, type: 'domain-gone', details, severity: severityOf(fact) } as Change;
}
