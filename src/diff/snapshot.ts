// A run's results reduced to what a later diff compares, so that the previous run of a
// million domains can sit in a Map: per domain the line, the MX host names, and per address
// one observation word, the failure kind and the leaf certificate. Host snapshots are plain
// values, so identical ones (many domains on one provider) can be shared (host-pool.ts).

import { TLSA_USAGE } from '../dane/tlsa-record.js';
import { isUnreachableFromHere } from '../probe/failure-codes.js';
import type {
  AddressObservation,
  DomainStatus,
  PolicyLevel,
  PolicyRecommendation,
  PreviousLine,
  ProbeFailureKind,
  TrustVerdict,
} from '../types.js';

export interface AddressSnapshot {
  readonly address: string;
  /** Also says whether STARTTLS was offered: 'no-starttls' no, 'not-observed' unknown, others yes. */
  readonly observation: AddressObservation;
  readonly failure?: ProbeFailureKind;
  /** SHA-256 fingerprint of the leaf certificate, when TLS was established. */
  readonly leaf?: string;
  /** The leaf's notAfter (ms since the epoch), only when its dates matter to Postfix (see below). */
  readonly notAfter?: number;
}

export interface HostSnapshot {
  readonly name: string;
  readonly addresses: readonly AddressSnapshot[];
}

export interface DomainSnapshot {
  readonly domain: string;
  /** When the domain's scan started (ms since the epoch). */
  readonly scannedAt: number;
  readonly status: DomainStatus;
  readonly kind: PolicyRecommendation['kind'];
  readonly level?: PolicyLevel;
  /** The scan was inconclusive and the line is an earlier run's (--previous): when that was recommended. */
  readonly carriedOverFrom?: string;
  /** Empty unless the MX hosts were resolved. */
  readonly hosts: readonly HostSnapshot[];
  /** The line's attributes, when it has any (the line itself is `lineOf`). */
  readonly attributes?: Readonly<Record<string, string>>;
}

type LeafSource = { sha256Fingerprint: string; notAfter: string };

/** The fields of a DomainResult a snapshot is made of (a DomainResult is one, and so is a compact saved line). */
export interface SnapshotSource {
  domain: string;
  status: DomainStatus;
  startedAt: string;
  hosts: ReadonlyArray<{
    name: string;
    addresses: ReadonlyArray<{
      observation: AddressObservation;
      dane?: { matched: boolean; by?: { usage: number } };
      probe: {
        address: string;
        failure?: { kind: ProbeFailureKind };
        /** A whole probe's `chain`, or a compact line's `leaf` (schema 2, input/saved-form.ts). */
        tls?: { trust: { verdict: TrustVerdict }; chain?: ReadonlyArray<LeafSource>; leaf?: LeafSource };
      };
    }>;
  }>;
}

export type SnapshotPolicy = Pick<PolicyRecommendation, 'kind' | 'level' | 'carriedOverFrom'> & { attributes?: Record<string, string> };

/** Most lines have no attributes: one shared empty object keeps a million snapshots small. */
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** A self-signed or unknown-issuer chain fails verify whatever its dates: its expiry changes
 *  nothing for Postfix, and warning about it every night would bury the warnings that do. */
const DATES_MATTER: ReadonlySet<TrustVerdict> = new Set(['trusted', 'expired']);

type Source = SnapshotSource['hosts'][number]['addresses'][number];

/** RFC 7672 §3.1.1: a server authenticated by a DANE-EE record is trusted whatever its dates. */
const daneEe = (dane: Source['dane']): boolean => dane?.matched === true && dane.by?.usage === TLSA_USAGE.DANE_EE;

function addressSnapshot({ observation, dane, probe }: Source): AddressSnapshot {
  const leaf = probe.tls?.leaf ?? probe.tls?.chain?.[0];
  const datesMatter = probe.tls !== undefined && DATES_MATTER.has(probe.tls.trust.verdict) && !daneEe(dane);
  const notAfter = leaf && datesMatter ? Date.parse(leaf.notAfter) : NaN;
  return {
    address: probe.address,
    observation,
    ...(probe.failure ? { failure: probe.failure.kind } : {}),
    ...(leaf ? { leaf: leaf.sha256Fingerprint } : {}),
    ...(Number.isNaN(notAfter) ? {} : { notAfter }),
  };
}

/** An address family this machine cannot reach says nothing about the server: left out. */
function reachableFromHere(a: Source): boolean {
  return !isUnreachableFromHere(a.probe);
}

/**
 * Reduce a result and its recommendation to a snapshot. `share` may return an equal host
 * snapshot already held, so a previous run keeps one copy per distinct MX host, and
 * `shareHosts` an equal list of them (a provider's customers have one MX list).
 *
 * A million of them are kept for --diff and --previous (issue 16 item 4: 300 MB for the whole
 * run; snapshot-store.ts), so a snapshot holds no object it can do without: the line --previous
 * carries over is made from it when asked (lineOf), the attributes are kept only when present.
 */
export function toSnapshot(
  source: SnapshotSource,
  policy: SnapshotPolicy,
  share: (host: HostSnapshot) => HostSnapshot = (host) => host,
  shareHosts: (hosts: HostSnapshot[]) => readonly HostSnapshot[] = (hosts) => hosts,
): DomainSnapshot {
  const attributes = policy.kind === 'line' && policy.attributes && Object.keys(policy.attributes).length > 0 ? policy.attributes : undefined;
  return {
    domain: source.domain,
    scannedAt: Date.parse(source.startedAt),
    status: source.status,
    kind: policy.kind,
    ...(policy.level === undefined ? {} : { level: policy.level }),
    ...(policy.carriedOverFrom === undefined ? {} : { carriedOverFrom: policy.carriedOverFrom }),
    hosts: shareHosts(source.hosts.map((host) => share({ name: host.name, addresses: host.addresses.filter(reachableFromHere).map(addressSnapshot) }))),
    ...(attributes ? { attributes } : {}),
  };
}

/** The line in force, for --previous to carry over an inconclusive scan: recommended when the
 *  domain was scanned, or earlier when it was itself carried over. */
export function lineOf(snapshot: DomainSnapshot): PreviousLine | undefined {
  if (snapshot.kind !== 'line' || snapshot.level === undefined) return undefined;
  return {
    level: snapshot.level,
    attributes: snapshot.attributes ?? NO_ATTRIBUTES,
    scannedAt: snapshot.carriedOverFrom ?? new Date(snapshot.scannedAt).toISOString(),
  };
}
