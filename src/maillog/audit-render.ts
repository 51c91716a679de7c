// An audit → text for a person (a table, then one sentence per finding) or JSON. Domains and
// relays are validated host names (parse-line.ts); protocol, cipher and a braced policy value
// come from files a person wrote or Postfix logged, so they pass through sanitizeText.
import { sanitizeText } from '../output/sanitize.js';
import type { TlsTrust } from './parse-line.js';
import type { AuditFinding, AuditReport, AuditRow } from './audit.js';
import { renderColumns } from './render.js';
import { TLS_FAILURES, type TlsFailure } from './tls-failure.js';

/** Strongest first, as Postfix ranks the peer certificate. */
const TRUSTS: readonly TlsTrust[] = ['Verified', 'Trusted', 'Untrusted', 'Anonymous'];

const FAILURE_WORDS: Record<TlsFailure, string> = {
  'not-offered': 'TLS required, STARTTLS not offered',
  'starttls-refused': 'TLS required, STARTTLS refused',
  handshake: 'TLS handshake failed',
  'not-verified': 'certificate not verified',
  'not-trusted': 'certificate not trusted',
  dane: 'no usable DANE TLSA records',
};

function deliveries(n: number): string {
  return n === 1 ? '1 delivery' : `${n} deliveries`;
}


/** "Verified 3, none 1": sent deliveries by the TLS they went over; "?" when TLS was not logged. */
function tlsCell(r: AuditRow): string {
  const parts = TRUSTS.filter((t) => r.tls[t]).map((t) => `${t} ${r.tls[t]}`);
  if (r.plaintext === null) parts.push('?');
  else if (r.plaintext > 0) parts.push(`none ${r.plaintext}`);
  return parts.join(', ') || '-';
}

function ciphersCell(r: AuditRow): string {
  const [first, ...more] = r.ciphers.map((c) => sanitizeText(c, 80));
  return first === undefined ? '-' : more.length > 0 ? `${first} +${more.length}` : first;
}

function failuresText(r: AuditRow): string {
  return TLS_FAILURES.filter((f) => r.tlsFailures[f]).map((f) => `${FAILURE_WORDS[f]} ${r.tlsFailures[f]}`).join(', ');
}

function lineText(r: AuditRow): string {
  return r.line === null ? '' : sanitizeText(r.line, 120);
}

function finding(r: AuditRow, f: AuditFinding, report: AuditReport): string {
  const failed = Object.values(r.tlsFailures).reduce((a, b) => a + b, 0);
  switch (f) {
    case 'line-defers':
      return `the line "${r.lineKey} ${lineText(r)}" deferred or bounced ${deliveries(failed)} (${failuresText(r)})`;
    case 'deferred-under-another-line':
      return `TLS deferred or bounced ${deliveries(failed)} (${failuresText(r)}), which the line "${r.lineKey} ${lineText(r)}" would not: the policy changed since, or Postfix used another map`;
    case 'tls-defers':
      return (
        `TLS deferred or bounced ${deliveries(failed)} (${failuresText(r)})` +
        (report.policyGiven ? '; the policy file has no line for it: the global smtp_tls_security_level, or another map' : '')
      );
    case 'plaintext-starttls-offered':
      return `${deliveries(r.starttlsOffered)} sent in plaintext to a host that offered STARTTLS${r.line === null ? '' : ` (line "${lineText(r)}")`}: scan it again`;
    case 'line-not-in-force':
      return `sent with less TLS (${tlsCell(r)}) than the line "${lineText(r)}" demands: Postfix was not using this file then (postmap not run, or a newer file)`;
  }
}

export function renderAuditTable(report: AuditReport): string {
  const header = ['domain', 'sent', 'TLS used', 'protocol and cipher', 'offered', 'deferred', 'bounced', 'TLS failures'];
  if (report.policyGiven) header.push('policy line');
  const rows = report.domains.map((r) => {
    const failed = Object.values(r.tlsFailures).reduce((a, b) => a + b, 0);
    const cells = [r.domain, String(r.messages), tlsCell(r), ciphersCell(r), String(r.starttlsOffered), String(r.deferred), String(r.bounced), String(failed)];
    if (report.policyGiven) cells.push(r.line === null ? '-' : lineText(r));
    return cells;
  });
  const right = header.map((_, i) => [1, 4, 5, 6, 7].includes(i));
  const out = [renderColumns([header, ...rows], right)];

  const findings = report.domains.flatMap((r) => r.findings.map((f) => `  ${r.domain}: ${finding(r, f, report)}\n`));
  out.push(findings.length > 0 ? `\nFindings:\n${findings.join('')}` : '\nNo findings: no delivery was deferred by TLS, none went in plaintext past an offered STARTTLS.\n');
  if (!report.tlsLogged && report.domains.length > 0) {
    out.push('\nThe log has no "TLS connection established" lines (smtp_tls_loglevel = 0?): TLS used cannot be told from plaintext.\n');
  }
  return out.join('');
}

export function renderAuditJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
