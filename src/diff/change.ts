// The vocabulary of a diff between two runs: one typed change per fact, so a cron job can
// filter by type or severity and a person can read the text form. Severities are assigned
// in one place (severity.ts), with the reason for each.

import type { AddressObservation, PolicyLevel, PolicyRecommendation, ProbeFailureKind } from '../types.js';

export type Severity = 'regression' | 'warning' | 'info';

export type PolicyKind = PolicyRecommendation['kind'];

/** Which observed addresses of one MX host offered STARTTLS. */
export type StarttlsSummary = 'all' | 'some' | 'none';

interface AddressRef {
  /** The MX host name (from DNS: sanitise before display). */
  host: string;
  address: string;
}

/** What each type of change says, beyond its domain. Times are ISO 8601. */
export interface ChangeDetails {
  'level-down': { from: PolicyLevel; to: PolicyLevel };
  'level-up': { from: PolicyLevel; to: PolicyLevel };
  /** Had a line or "no mail" before, cannot tell now (DNS failure, no address answered);
   *  carriedOver: the earlier line is kept (--previous) instead of none being written. */
  'became-unknown': { from: Exclude<PolicyKind, 'unknown'>; level?: PolicyLevel; carriedOver: boolean };
  /** Any other change of kind: line ↔ no-mail, or unknown → known. */
  'kind-changed': { from: PolicyKind; to: PolicyKind; fromLevel?: PolicyLevel; toLevel?: PolicyLevel };
  'mx-changed': { added: string[]; removed: string[] };
  'starttls-lost': { host: string; from: StarttlsSummary; to: StarttlsSummary };
  'starttls-gained': { host: string; from: StarttlsSummary; to: StarttlsSummary };
  /** Leaf SHA-256 fingerprints before and after. */
  'certificate-changed': AddressRef & { from: string; to: string };
  'certificate-expiring': AddressRef & { notAfter: string; daysLeft: number };
  /** wasVerified: the previous run verified this address, so `verify` relied on this certificate. */
  'certificate-expired': AddressRef & { notAfter: string; wasVerified: boolean };
  /** An address observed before now fails; `observation` is what it amounts to now. */
  'new-failure': AddressRef & { failure: ProbeFailureKind; observation: AddressObservation };
  'domain-new': { kind: PolicyKind; level?: PolicyLevel };
  'domain-gone': { kind: PolicyKind; level?: PolicyLevel; scannedAt: string };
}

export type ChangeType = keyof ChangeDetails;

/** A change before its severity is decided. */
export type ChangeFact = { [T in ChangeType]: { domain: string; type: T; details: ChangeDetails[T] } }[ChangeType];

export type Change = ChangeFact & { severity: Severity };
