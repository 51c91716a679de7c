// A run's figures for Prometheus (node_exporter's textfile collector): fed one domain at a time,
// rendered once at the end. Pure: no clock, no file; `scan`, `policy` and `report` feed it the
// same (result, recommendation, changes) they render, so the numbers match their output.
// Naming follows https://prometheus.io/docs/practices/naming/ (a prefix, base units, no _total
// on gauges); every closed vocabulary is emitted in full, zeros included, so an alert such as
// `mxtls_domains_by_kind{kind="unknown"} > 10` never meets a missing series.

import { expiryChanges } from '../diff/compare-addresses.js';
import type { Change, ChangeType, Severity } from '../diff/change.js';
import { toSnapshot } from '../diff/snapshot.js';
import type { DomainResult, DomainStatus, PolicyLevel, PolicyRecommendation, ProbeFailureKind, ProbeStage } from '../types.js';
import { VERSION } from '../version.js';
import { renderExposition, type Family, type Sample } from './exposition.js';

export interface RunMetricsOptions {
  /** Count leaf certificates that expire within this many days (scan's --expiry-warn). */
  expiryWarnDays: number;
  /** The run was compared with an earlier one (--diff): the diff families are written. */
  diff: boolean;
}

/** How the run ended, known only at the end. */
export interface RunEnd {
  durationMs: number;
  /** Stopped by SIGINT/SIGTERM: the figures cover only the domains finished. */
  interrupted?: boolean;
}

interface CertificateDue {
  host: string;
  address: string;
  notAfter: string;
  expired: boolean;
}

/** Typed as complete records so that a new level, kind or status fails to compile here. */
const zeroLevels = (): Record<PolicyLevel, number> => ({ none: 0, may: 0, encrypt: 0, dane: 0, 'dane-only': 0, fingerprint: 0, verify: 0, secure: 0 });
const zeroKinds = (): Record<PolicyRecommendation['kind'], number> => ({ line: 0, 'no-mail': 0, unknown: 0 });
const zeroStatuses = (): Record<DomainStatus, number> => ({ scanned: 0, 'no-mail': 0, 'dns-error': 0, 'internal-error': 0 });

const SECOND_MS = 1000;
const DAY_SECONDS = 86_400;

function count<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function byKey(record: Record<string, number>, label: string): Sample[] {
  return Object.entries(record).map(([key, value]) => ({ labels: { [label]: key }, value }));
}

export class RunMetrics {
  private readonly levels = zeroLevels();
  private readonly kinds = zeroKinds();
  private readonly statuses = zeroStatuses();
  private carriedOver = 0;
  private oldestScanMs = Infinity;
  /** Probes are shared per IP:port within a run (scan/probe-pool.ts), and a provider's address
   *  serves thousands of domains: each is counted once, not once per domain. */
  private readonly probed = new Set<string>();
  private readonly failures = new Map<string, number>();
  /** Keyed by host and address, like the diff's certificate facts. */
  private readonly due = new Map<string, CertificateDue>();
  private regressions = 0;
  private readonly changeTypes = new Map<string, number>();

  constructor(
    /** When the run started: the run's start time, and what certificate expiry is measured from. */
    private readonly now: Date,
    private readonly options: RunMetricsOptions,
  ) {}

  /** One finished domain: its result, the recommendation written for it, and its diff changes. */
  domain(result: DomainResult, rec: PolicyRecommendation, changes: readonly Change[] = []): void {
    this.kinds[rec.kind]++;
    if (rec.kind === 'line' && rec.level !== undefined) this.levels[rec.level]++;
    if (rec.carriedOverFrom !== undefined) this.carriedOver++;
    this.statuses[result.status]++;
    const started = Date.parse(result.startedAt);
    if (started < this.oldestScanMs) this.oldestScanMs = started;
    for (const host of result.hosts) {
      for (const { probe } of host.addresses) {
        const key = `${probe.address}|${probe.port}`;
        if (this.probed.has(key)) continue;
        this.probed.add(key);
        if (probe.failure) count(this.failures, `${probe.failure.stage}|${probe.failure.kind}`);
      }
    }
    // The diff's own rule for which certificates count (dates that matter to Postfix, addresses
    // reachable from here), with no previous run: only today's dates are asked.
    const expiry = expiryChanges(undefined, toSnapshot(result, rec), { now: this.now, expiryWarnDays: this.options.expiryWarnDays });
    for (const fact of expiry) {
      if (fact.type !== 'certificate-expiring' && fact.type !== 'certificate-expired') continue;
      const { host, address, notAfter } = fact.details;
      this.due.set(`${host}|${address}`, { host, address, notAfter, expired: fact.type === 'certificate-expired' });
    }
    this.changes(changes);
  }

  /** Changes that belong to no finished domain: the domains gone since the previous run. */
  changes(changes: readonly Change[]): void {
    for (const change of changes) {
      if (change.severity === 'regression') this.regressions++;
      count(this.changeTypes, `${change.type}|${change.severity}`);
    }
  }

  /** The exposition text of everything fed so far. */
  render(end: RunEnd): string {
    const due = [...this.due.values()].sort((a, b) => (a.host === b.host ? (a.address < b.address ? -1 : 1) : a.host < b.host ? -1 : 1));
    const families: Family[] = [
      { name: 'mxtls_build_info', help: 'The mxtls version that wrote these metrics.', samples: [{ labels: { version: VERSION }, value: 1 }] },
      { name: 'mxtls_run_start_time_seconds', help: 'When the run started, in seconds since the Unix epoch.', samples: [{ value: this.now.getTime() / SECOND_MS }] },
      { name: 'mxtls_run_duration_seconds', help: 'How long the run took, in seconds.', samples: [{ value: end.durationMs / SECOND_MS }] },
      { name: 'mxtls_run_interrupted', help: '1 when the run was interrupted (SIGINT/SIGTERM) and covers only the domains it finished.', samples: [{ value: end.interrupted ? 1 : 0 }] },
      {
        name: 'mxtls_oldest_result_time_seconds',
        help: 'When the oldest domain result of the run was scanned (results kept by --resume or read from a file), in seconds since the Unix epoch.',
        samples: Number.isFinite(this.oldestScanMs) ? [{ value: this.oldestScanMs / SECOND_MS }] : [],
      },
      { name: 'mxtls_domains_by_kind', help: 'Domains by outcome: a policy line, accepts no mail, or unknown (no line written).', samples: byKey(this.kinds, 'kind') },
      { name: 'mxtls_domains_by_level', help: 'Domains with a policy line, by its TLS security level.', samples: byKey(this.levels, 'level') },
      { name: 'mxtls_domains_by_status', help: 'Domains by scan status.', samples: byKey(this.statuses, 'status') },
      { name: 'mxtls_domains_carried_over', help: 'Domains whose scan was inconclusive and whose line was kept from an earlier run (--previous).', samples: [{ value: this.carriedOver }] },
      { name: 'mxtls_mx_addresses_probed', help: 'Distinct MX addresses (IP and port) probed over SMTP.', samples: [{ value: this.probed.size }] },
      {
        name: 'mxtls_probe_failures',
        help: 'Distinct MX addresses whose probe failed, by the stage that failed and the kind of failure.',
        samples: [...this.failures].sort().map(([key, value]) => {
          const [stage, kind] = key.split('|') as [ProbeStage, ProbeFailureKind];
          return { labels: { stage, kind }, value };
        }),
      },
      // Seconds, not days: promtool's linter asks for base units.
      { name: 'mxtls_certificate_expiry_warn_seconds', help: 'The window of mxtls_certificates_expiring (--expiry-warn DAYS), in seconds.', samples: [{ value: this.options.expiryWarnDays * DAY_SECONDS }] },
      {
        name: 'mxtls_certificates_expiring',
        help: 'MX addresses whose leaf certificate is trusted and expires within mxtls_certificate_expiry_warn_seconds.',
        samples: [{ value: due.filter((d) => !d.expired).length }],
      },
      { name: 'mxtls_certificates_expired', help: 'MX addresses whose leaf certificate has expired (and would otherwise be trusted).', samples: [{ value: due.filter((d) => d.expired).length }] },
      {
        name: 'mxtls_certificate_not_after_seconds',
        help: 'When the leaf certificate of an MX address counted as expiring or expired stops being valid, in seconds since the Unix epoch.',
        samples: due.map((d) => ({ labels: { host: d.host, address: d.address }, value: Date.parse(d.notAfter) / SECOND_MS })),
      },
    ];
    if (this.options.diff) {
      families.push(
        { name: 'mxtls_diff_regressions', help: 'Regressions against the previous run (--diff); the scan exits 1 when there is one.', samples: [{ value: this.regressions }] },
        {
          name: 'mxtls_diff_changes',
          help: 'Changes against the previous run (--diff), by type and severity.',
          samples: [...this.changeTypes].sort().map(([key, value]) => {
            const [type, severity] = key.split('|') as [ChangeType, Severity];
            return { labels: { type, severity }, value };
          }),
        },
      );
    }
    return renderExposition(families);
  }
}
