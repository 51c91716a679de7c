// The diff for people (grouped text, worst first, counts at the top, for a cron mail) and for
// machines (--format diff: one JSON object per change per line). Host names come from DNS and
// a previous file may have been edited: every string goes through sanitizeText in both forms.

import { toJsonText } from '../output/json.js';
import { sanitizeText } from '../output/sanitize.js';
import { observationWord, palette, type Palette } from '../output/style.js';
import type { PolicyLevel } from '../types.js';
import type { Change, ChangeType, PolicyKind, Severity } from './change.js';

export interface DiffTextOptions {
  /** Domains of this run compared with the previous one, for the counts line. */
  compared: number;
  color?: boolean;
}

const SEVERITIES: readonly Severity[] = ['regression', 'warning', 'info'];
const HEADINGS: Record<Severity, string> = { regression: 'regressions', warning: 'warnings', info: 'info' };
/** Generous: machines get whole host names (up to 253 characters, more once escaped). */
const MACHINE_MAX = 1024;
const DOMAIN_COLUMN_MAX = 40;
const SHORT_FINGERPRINT = 16;

/** Within a group: by domain, then in this order (a domain's line before its details). */
const TYPE_ORDER: readonly ChangeType[] = [
  'level-down', 'became-unknown', 'kind-changed', 'level-up', 'domain-new', 'domain-gone', 'mx-changed',
  'starttls-lost', 'starttls-gained', 'new-failure', 'certificate-expired', 'certificate-expiring', 'certificate-changed',
];

export function countBySeverity(changes: readonly Change[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { regression: 0, warning: 0, info: 0 };
  for (const change of changes) counts[change.severity]++;
  return counts;
}

const s = (text: string, max = 100): string => sanitizeText(text, max);

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function policyWord(kind: PolicyKind, level: PolicyLevel | undefined): string {
  if (kind === 'line') return s(level ?? 'line', 20);
  return kind === 'no-mail' ? 'no mail' : 'unknown';
}

function at(host: string, address: string): string {
  return `${s(host)} [${s(address, 60)}]`;
}

function short(fingerprint: string): string {
  return s(fingerprint.length > SHORT_FINGERPRINT ? `${fingerprint.slice(0, SHORT_FINGERPRINT)}…` : fingerprint);
}

function describe(change: Change, p: Palette): string {
  switch (change.type) {
    case 'level-down':
    case 'level-up': {
      const { from, to } = change.details;
      return `level ${change.type === 'level-down' ? 'down' : 'up'}: ${s(from, 20)} → ${s(to, 20)}`;
    }
    case 'became-unknown':
      return `unknown now (was ${policyWord(change.details.from, change.details.level)}); ${change.details.carriedOver ? 'line carried over' : 'no line written'}`;
    case 'kind-changed': {
      const { from, to, fromLevel, toLevel } = change.details;
      return `policy: ${policyWord(from, fromLevel)} → ${policyWord(to, toLevel)}`;
    }
    case 'mx-changed': {
      const { added, removed } = change.details;
      const parts = [added.length ? `added ${added.map((n) => s(n)).join(', ')}` : '', removed.length ? `removed ${removed.map((n) => s(n)).join(', ')}` : ''];
      return `MX hosts changed: ${parts.filter(Boolean).join('; ')}`;
    }
    case 'starttls-lost':
    case 'starttls-gained': {
      const { host, from, to } = change.details;
      return `${s(host)}: STARTTLS ${change.type === 'starttls-lost' ? 'lost' : 'gained'}: offered by ${from} → ${to} of its addresses`;
    }
    case 'certificate-changed':
      return `${at(change.details.host, change.details.address)}: certificate changed ${short(change.details.from)} → ${short(change.details.to)}`;
    case 'certificate-expiring': {
      const { host, address, notAfter, daysLeft } = change.details;
      return `${at(host, address)}: certificate expires ${s(notAfter, 40)} (${plural(daysLeft, 'day')} left)`;
    }
    case 'certificate-expired': {
      const { host, address, notAfter, wasVerified } = change.details;
      return `${at(host, address)}: certificate expired ${s(notAfter, 40)}${wasVerified ? ' (was verified last run)' : ''}`;
    }
    case 'new-failure': {
      const { host, address, failure, observation } = change.details;
      return `${at(host, address)}: now fails: ${s(failure, 40)} (${observationWord(observation, p)})`;
    }
    case 'domain-new':
      return `new domain (${policyWord(change.details.kind, change.details.level)})`;
    case 'domain-gone':
      return `not in this run (was ${policyWord(change.details.kind, change.details.level)}, scanned ${s(change.details.scannedAt, 40)})`;
  }
}

/** One change in words, without colour (sanitised; escape it for markup): for the HTML report. */
export function describeChange(change: Change): string {
  return describe(change, palette(false));
}

/** Worst first, then by domain, then a domain's line before its details: the order people read. */
export function bySeverityThenDomain(a: Change, b: Change): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || byDomainThenType(a, b);
}

function byDomainThenType(a: Change, b: Change): number {
  if (a.domain !== b.domain) return a.domain < b.domain ? -1 : 1;
  return TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type);
}

/** Rows per severity in the readable summary: it is read by a person (a cron mail); a list that
 *  lost most of a million domains made 85 MB of text and 1.5 GB of heap (issue 16 item 4). */
const ROWS_MAX = 1000;

/**
 * The readable summary, fed one change at a time: it keeps the counts, the domain column's width
 * and, per severity, only the rows it can show, so a run's changes need not be held (a million
 * gone domains as Change objects were ~230 MB, issue 16 item 4).
 */
export class DiffSummary {
  private readonly counts: Record<Severity, number> = { regression: 0, warning: 0, info: 0 };
  private width = 0;
  private readonly shown: Record<Severity, Change[]> = { regression: [], warning: [], info: [] };

  add(change: Change): void {
    this.counts[change.severity]++;
    this.width = Math.max(this.width, s(change.domain, DOMAIN_COLUMN_MAX).length);
    const rows = this.shown[change.severity];
    rows.push(change);
    // Cut back to the first ROWS_MAX now and then rather than on every change. The sort is stable
    // and later changes come after the kept ones, so ties keep their order: the same rows as
    // sorting every change at the end.
    if (rows.length === 2 * ROWS_MAX) {
      rows.sort(byDomainThenType);
      rows.length = ROWS_MAX;
    }
  }

  regressions(): number {
    return this.counts.regression;
  }

  /** Counts, then regressions, warnings and info, each sorted by domain (at most ROWS_MAX rows
   *  each; `--format diff` writes every change). */
  text(options: DiffTextOptions): string {
    const p = palette(options.color ?? false);
    const counts = this.counts;
    const paint: Record<Severity, (text: string) => string> = { regression: p.bad, warning: p.warn, info: p.dim };
    const head = `${plural(counts.regression, 'regression')}, ${plural(counts.warning, 'warning')}, ${counts.info} info (${plural(options.compared, 'domain')} compared)`;
    const sections = SEVERITIES.filter((severity) => counts[severity] > 0).map((severity) => {
      const shown = [...this.shown[severity]].sort(byDomainThenType).slice(0, ROWS_MAX);
      const rows = shown.map((c) => `  ${s(c.domain, DOMAIN_COLUMN_MAX).padEnd(this.width)}  ${describe(c, p)}`);
      if (counts[severity] > ROWS_MAX) rows.push(`  … and ${counts[severity] - ROWS_MAX} more (every change: --format diff)`);
      return [paint[severity](p.bold(HEADINGS[severity])), ...rows].join('\n');
    });
    return `${[head, ...sections].join('\n\n')}\n`;
  }
}

/** The readable summary of a list of changes (DiffSummary.text). */
export function renderDiffText(changes: readonly Change[], options: DiffTextOptions): string {
  const summary = new DiffSummary();
  for (const change of changes) summary.add(change);
  return summary.text(options);
}

function sanitizeValue(value: unknown): unknown {
  if (typeof value === 'string') return sanitizeText(value, MACHINE_MAX);
  return Array.isArray(value) ? value.map(sanitizeValue) : value;
}

/** One change as one NDJSON line (ending in '\n'): domain, type, severity, details. */
export function diffNdjsonLine(change: Change): string {
  const details = Object.fromEntries(Object.entries(change.details).map(([key, value]) => [key, sanitizeValue(value)]));
  return `${toJsonText({ domain: sanitizeText(change.domain, MACHINE_MAX), type: change.type, severity: change.severity, details })}\n`;
}
