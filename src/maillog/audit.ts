// The mail log's verdict on a TLS policy (`mxtls audit`): each recipient domain's deliveries as
// counted by aggregate.ts, held against the line Postfix would use from the policy file.
// Findings are codes; words are rendered at the edge (audit-render.ts).
import type { PolicyLevel } from '../types.js';
import { type PolicyMapSource, policyLineFor } from '../policy/policy-map-source.js';
import type { DomainRow, MailLogSummary } from './aggregate.js';
import type { TlsFailure } from './tls-failure.js';

export const AUDIT_FINDINGS = [
  /** TLS deferred or bounced mail to the domain, as the file's line for it would. */
  'line-defers',
  /** TLS deferred or bounced mail in a way the file's line would not: the policy changed since. */
  'deferred-under-another-line',
  /** TLS deferred or bounced mail, with no line for it (the global level, or no --policy). */
  'tls-defers',
  /** Sent in plaintext to a host that offered STARTTLS (smtp_tls_note_starttls_offer). */
  'plaintext-starttls-offered',
  /** Sent with less TLS than the file's line demands: Postfix was not using this file then. */
  'line-not-in-force',
] as const;
export type AuditFinding = (typeof AUDIT_FINDINGS)[number];

export interface AuditRow extends DomainRow {
  /** The value of the line Postfix uses for this domain (level and attributes), or null. */
  line: string | null;
  /** The key that line stands under ("example.com", ".example.com"). */
  lineKey: string | null;
  findings: AuditFinding[];
}

export interface AuditReport {
  tlsLogged: boolean;
  /** Whether a policy file was given: without one, no line can be held against the log. */
  policyGiven: boolean;
  /** Rows with findings first, then as aggregate.ts sorts (most messages first). */
  domains: AuditRow[];
}

// What each level demands of a session (tls_level.c, smtp_proto.c, smtp_tls_policy.c), once:
// `dane` is left out of the first two because it falls back to encrypt or may when the MX has
// no usable TLSA records, so a dane line can send in plaintext and can fail for want of TLS.
/** Never sent in plaintext. */
const TLS_ALWAYS: readonly PolicyLevel[] = ['encrypt', 'dane-only', 'fingerprint', 'verify', 'secure'];
/** Sent only over a session whose certificate matched: logged "Verified" (fingerprint's summary
 *  line is not relied on, so it is left out). */
const VERIFIED_ALWAYS: readonly PolicyLevel[] = ['dane-only', 'verify', 'secure'];

/** The levels at which Postfix stops a delivery in each way. */
const FAILS_AT: Record<TlsFailure, readonly PolicyLevel[]> = {
  'not-offered': [...TLS_ALWAYS, 'dane'],
  'starttls-refused': [...TLS_ALWAYS, 'dane'],
  handshake: [...TLS_ALWAYS, 'dane'],
  'not-verified': [...VERIFIED_ALWAYS, 'fingerprint', 'dane'],
  'not-trusted': [...VERIFIED_ALWAYS, 'fingerprint', 'dane'],
  dane: ['dane-only'],
};

function sentBelow(row: DomainRow, level: PolicyLevel): boolean {
  if (TLS_ALWAYS.includes(level) && (row.plaintext ?? 0) > 0) return true;
  if (!VERIFIED_ALWAYS.includes(level)) return false;
  const withTls = Object.values(row.tls).reduce((a, b) => a + b, 0);
  return withTls > (row.tls.Verified ?? 0);
}

function lineCanFail(row: DomainRow, level: PolicyLevel): boolean {
  return (Object.keys(row.tlsFailures) as TlsFailure[]).some((f) => FAILS_AT[f].includes(level));
}

function auditRow(row: DomainRow, policy: PolicyMapSource | undefined): AuditRow {
  const entry = policy ? policyLineFor(policy, row.domain) : undefined;
  const findings: AuditFinding[] = [];
  if (Object.keys(row.tlsFailures).length > 0) {
    findings.push(!entry ? 'tls-defers' : lineCanFail(row, entry.level) ? 'line-defers' : 'deferred-under-another-line');
  }
  if (row.starttlsOffered > 0) findings.push('plaintext-starttls-offered');
  if (entry && sentBelow(row, entry.level)) findings.push('line-not-in-force');
  return { ...row, line: entry?.value ?? null, lineKey: entry?.key ?? null, findings };
}

export function auditMailLog(summary: MailLogSummary, policy?: PolicyMapSource): AuditReport {
  const rows = summary.domains.map((row) => auditRow(row, policy));
  // Stable: within each group the aggregate's order stays.
  rows.sort((a, b) => Number(b.findings.length > 0) - Number(a.findings.length > 0));
  return { tlsLogged: summary.tlsLogged, policyGiven: policy !== undefined, domains: rows };
}

/** Whether the TLS policy (the file's lines or the global level) deferred or bounced mail. */
export function policyDefersMail(report: AuditReport): boolean {
  return report.domains.some((r) => r.findings.includes('line-defers') || r.findings.includes('tls-defers'));
}
