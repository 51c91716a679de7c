// The report page: one self-contained HTML file (inline CSS, inline script, inline SVG, no URL
// at all) that works as a mail attachment. Its Content-Security-Policy allows only the page's
// own script and stylesheet, by hash, and forbids every fetch: even text that got past the
// escaping could neither run nor load anything.
import { createHash } from 'node:crypto';
import { bySeverityThenDomain, countBySeverity, describeChange } from '../diff/index.js';
import { POLICY_LEVELS } from '../types.js';
import type { PolicyLevel } from '../types.js';
import { sanitizeText } from '../output/sanitize.js';
import { html, SafeHtml } from './html.js';
import { REPORT_CSS, REPORT_SCRIPT } from './report-assets.js';
import { NO_MAIL_KEY, PROVIDER_DOMAINS_SHOWN, type DomainRow, type ReportModel } from './report-model.js';
import { barChart, type Bar } from './svg-bars.js';

export interface ReportMeta {
  version: string;
  generatedAt: Date;
  /** The results file, as the user named it. */
  results: string;
  /** The previous run compared with (--diff). */
  previous?: string;
  expiryWarnDays: number;
  /** "--partial cap --mixed weakest": what shaped the lines. */
  policyOptions: string;
}

const STRONG: ReadonlySet<string> = new Set<PolicyLevel>(['verify', 'secure', 'dane', 'dane-only', 'fingerprint']);

/** Colour of a level word: strong levels good, encrypt and unknown worth a look, may/none bad. */
export function levelTone(key: string): string {
  if (STRONG.has(key)) return 'tone-good';
  if (key === 'encrypt' || key === 'unknown') return 'tone-warn';
  return key === NO_MAIL_KEY ? 'tone-muted' : 'tone-bad';
}

/** Strongest first, then domains without a line. */
function levelOrder(key: string): number {
  const rank = (POLICY_LEVELS as readonly string[]).indexOf(key);
  return rank >= 0 ? -rank : key === 'unknown' ? 1 : key === NO_MAIL_KEY ? 2 : 3;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function glance(model: ReportModel): SafeHtml {
  const levels = [...model.levels].sort((a, b) => levelOrder(a.key) - levelOrder(b.key));
  const levelBars: Bar[] = levels.map(({ key, count }) => ({ label: key, value: count, tone: levelTone(key) }));
  const a = model.adoption;
  const adoption: Bar[] = [
    { label: 'DNSSEC', value: a.dnssec, tone: 'tone-good' },
    { label: 'DANE (TLSA)', value: a.dane, tone: 'tone-good' },
    { label: 'MTA-STS enforce', value: a.stsEnforce, tone: 'tone-good' },
    { label: 'MTA-STS testing', value: a.stsTesting, tone: 'tone-warn' },
    { label: 'MTA-STS invalid', value: a.stsInvalid, tone: 'tone-bad' },
    { label: 'TLS-RPT', value: a.tlsRpt, tone: 'tone-good' },
  ];
  return html`<section id="glance"><h2>Levels at a glance</h2><div class="glance">
<div class="panel"><h3>Recommended level, by domain</h3>${barChart(levelBars, { title: 'domains by recommended level' })}</div>
<div class="panel" id="adoption"><h3>Adoption among ${plural(a.mailDomains, 'domain')} that accept mail</h3>${
    barChart(adoption, { title: 'declarations published', max: a.mailDomains })}</div>
</div></section>`;
}

function changesSection(model: ReportModel, meta: ReportMeta): SafeHtml {
  if (!model.diff) return html``;
  const { changes, compared } = model.diff;
  const counts = countBySeverity(changes);
  const sorted = [...changes].sort(bySeverityThenDomain);
  const rows = sorted.map((c) => html`<tr class="sev-${c.severity}"><td data-label="severity"><span class="pill ${c.severity === 'regression' ? 'tone-bad' : c.severity === 'warning' ? 'tone-warn' : 'tone-muted'}">${c.severity}</span></td><td data-label="domain" class="domain">${sanitizeText(c.domain, 255)}</td><td data-label="change">${describeChange(c)}</td></tr>`);
  return html`<section id="changes"><h2>Changes since the previous run</h2>
<p class="meta">${plural(counts.regression, 'regression')}, ${plural(counts.warning, 'warning')}, ${counts.info} info; ${plural(compared, 'domain')} compared with ${meta.previous ?? ''}</p>
${changes.length === 0 ? html`<p class="empty">no changes</p>` : html`<div class="scroll"><table class="cards"><thead><tr><th>severity</th><th>domain</th><th>change</th></tr></thead><tbody>${rows}</tbody></table></div>`}
</section>`;
}

function expiringSection(model: ReportModel, meta: ReportMeta): SafeHtml {
  const rows = model.expiring.map((c) => html`<tr><td data-label="domain" class="domain">${c.domain}</td><td data-label="MX host">${c.host}</td><td data-label="address"><code>${c.address}</code></td><td data-label="certificate">${c.subject || '—'}</td><td data-label="expires">${c.notAfter}</td><td data-label="left"><span class="pill ${c.daysLeft === undefined ? 'tone-bad' : 'tone-warn'}">${c.daysLeft === undefined ? 'expired' : plural(c.daysLeft, 'day')}</span></td></tr>`);
  return html`<section id="expiring"><h2>Certificates expired or expiring within ${plural(meta.expiryWarnDays, 'day')}</h2>
<p class="note">Leaf certificates of trusted (or expired) chains: the ones a verify line depends on.</p>
${rows.length === 0 ? html`<p class="empty">none</p>` : html`<div class="scroll"><table class="cards"><thead><tr><th>domain</th><th>MX host</th><th>address</th><th>certificate</th><th>expires</th><th>left</th></tr></thead><tbody>${rows}</tbody></table></div>`}
</section>`;
}

function levelPills(levels: Map<string, number>): SafeHtml[] {
  return [...levels].sort((a, b) => levelOrder(a[0]) - levelOrder(b[0])).map(([key, n]) => html`<span class="pill ${levelTone(key)}">${n} ${key}</span> `);
}

function providersSection(model: ReportModel): SafeHtml {
  const rows = model.providers.map((g) => {
    const more = g.domains.length - PROVIDER_DOMAINS_SHOWN;
    return html`<tr><td data-label="MX hosts">${g.hosts.map((h) => html`<div><code>${h}</code></div>`)}</td><td data-label="domains" data-sort="${g.domains.length}">${g.domains.length}</td><td data-label="levels">${levelPills(g.levels)}</td><td data-label="which">${g.domains.slice(0, PROVIDER_DOMAINS_SHOWN).join(', ')}${more > 0 ? ` and ${more} more` : ''}</td></tr>`;
  });
  return html`<section id="providers"><h2>Domains grouped by provider</h2>
<p class="note">Domains whose MX records name exactly the same hosts: one provider (or one postmaster) decides their TLS.</p>
${rows.length === 0 ? html`<p class="empty">no MX hosts shared by several domains</p>` : html`<div class="scroll"><table class="cards"><thead><tr><th>MX hosts</th><th>domains</th><th>levels</th><th>which</th></tr></thead><tbody>${rows}</tbody></table></div>`}
</section>`;
}

function hostsCell(row: DomainRow): SafeHtml {
  if (row.hosts.length === 0) return html``;
  const hosts = row.hosts.map((h) => html`<li><code>${h.name}</code> (preference ${h.preference})<ul>${h.addresses.map((a) => html`<li><code>${a.address}</code>: ${a.observation}${a.tls ? html`, ${a.tls}` : ''}${a.certificate !== undefined ? html`<br>certificate ${a.certificate}, until ${a.notAfter ?? ''}` : ''}${a.banner !== undefined ? html`<br>banner <code class="banner">${a.banner}</code>` : ''}</li>`)}</ul></li>`);
  return html`<details><summary>${plural(row.hosts.length, 'MX host')}</summary><ul class="hosts">${hosts}</ul></details>`;
}

function domainRow(row: DomainRow): SafeHtml {
  return html`<tr>
<td data-label="domain" class="domain">${row.domain}</td>
<td data-label="level" data-sort="${row.rank}"><span class="pill ${levelTone(row.levelKey)}">${row.levelKey}</span></td>
<td data-label="policy line" class="policy">${row.line.written ? html`<code class="line">${row.line.text}</code>` : html`<span class="noline">${row.line.text}</span>`}${row.carriedOverFrom ? html`<div class="note">carried over from ${row.carriedOverFrom}</div>` : ''}</td>
<td data-label="MX">${row.mx}</td>
<td data-label="declared">${row.declared}</td>
<td data-label="reasons" class="reasons"><ul>${row.reasons.map((r) => html`<li>${r}</li>`)}${row.warnings.map((w) => html`<li class="warning">warning: ${w}</li>`)}</ul>${hostsCell(row)}</td>
</tr>`;
}

function domainsSection(model: ReportModel): SafeHtml {
  const rows = [...model.rows].sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  const head = (label: string, type = 'text') => html`<th data-type="${type}"><button type="button">${label}</button></th>`;
  return html`<section id="all"><h2>Every domain</h2>
<div class="filter"><input id="filter" type="search" placeholder="search domains, levels, reasons, hosts" aria-label="search the table"><span class="note"><span id="shown">${rows.length}</span> of ${rows.length} shown</span></div>
<div class="scroll"><table id="domains" class="cards"><thead><tr>${head('domain')}${head('level', 'number')}${head('policy line')}${head('MX')}${head('declared')}${head('reasons')}</tr></thead>
<tbody>${rows.map(domainRow)}</tbody></table></div></section>`;
}

/** The whole page. */
export function renderReport(model: ReportModel, meta: ReportMeta): string {
  const total = model.rows.length;
  const summary = [...model.levels].sort((a, b) => levelOrder(a.key) - levelOrder(b.key));
  const csp = `default-src 'none'; script-src ${sha256(REPORT_SCRIPT)}; style-src ${sha256(REPORT_CSS)}; img-src 'none'; base-uri 'none'; form-action 'none'`;
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>mxtls report: ${plural(total, 'domain')}, ${meta.generatedAt.toISOString().slice(0, 10)}</title>
<style>${new SafeHtml(REPORT_CSS)}</style></head>
<body><main>
<h1>mxtls TLS policy report</h1>
<p class="meta">${plural(total, 'domain')} from <code>${meta.results}</code>; written ${meta.generatedAt.toISOString()} by mxtls ${meta.version}; ${meta.policyOptions}</p>
<div class="counts">${summary.map(({ key, count }) => html`<span class="pill ${levelTone(key)}">${count} ${key}</span>`)}</div>
${glance(model)}
${changesSection(model, meta)}
${expiringSection(model, meta)}
${providersSection(model)}
${domainsSection(model)}
</main><script>${new SafeHtml(REPORT_SCRIPT)}</script></body></html>
`;
  return page.markup;
}
