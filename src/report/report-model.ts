// What the HTML report shows, gathered domain by domain as the saved results are read: one
// row per domain (sanitised text only, never the whole result), the level counts, expiring
// certificates, declaration adoption and the providers that several domains share. Pure: the
// clock and the policy line's wording come in from the caller.
import { expiryChanges, toSnapshot, type Change } from '../diff/index.js';
import { declaredCell } from '../output/declared.js';
import { sanitizeText } from '../output/sanitize.js';
import { observationWord, palette } from '../output/style.js';
import { tallyKey } from '../output/tally.js';
import { levelRank, type DomainResult, type PolicyRecommendation } from '../types.js';
import { reasonLines, warningText } from '../output/reason-text.js';

const PLAIN = palette(false);
const NAME_MAX = 255;
const TEXT_MAX = 300;
/** Domains listed under one provider; the rest are counted. */
export const PROVIDER_DOMAINS_SHOWN = 40;
/** How the level counts name domains that accept no mail. */
export const NO_MAIL_KEY = 'no mail';

/** The policy line a domain gets, as the policy file would write it, or why there is none. */
export interface PolicyLineText {
  text: string;
  written: boolean;
}

export interface AddressRow {
  address: string;
  observation: string;
  tls?: string;
  /** Leaf certificate: subject CN(s) and expiry. */
  certificate?: string;
  notAfter?: string;
  /** First line of the greeting banner. */
  banner?: string;
}

export interface HostRow {
  name: string;
  preference: number;
  addresses: AddressRow[];
}

export interface DomainRow {
  domain: string;
  /** The level or why there is no line (the key of the level counts). */
  levelKey: string;
  /** Sort rank: no line below `none`, else diff/compare.ts's order of strength. */
  rank: number;
  line: PolicyLineText;
  mx: string;
  declared: string;
  reasons: string[];
  warnings: string[];
  carriedOverFrom?: string;
  hosts: HostRow[];
}

export interface ExpiringCertificate {
  domain: string;
  host: string;
  address: string;
  notAfter: string;
  /** Absent when already expired. */
  daysLeft?: number;
  subject: string;
}

/** Domains that accept mail, and how many of them publish each declaration. */
export interface Adoption {
  mailDomains: number;
  dnssec: number;
  dane: number;
  stsEnforce: number;
  stsTesting: number;
  stsInvalid: number;
  tlsRpt: number;
}

export interface ProviderGroup {
  hosts: string[];
  domains: string[];
  levels: Map<string, number>;
}

export interface ReportModel {
  rows: DomainRow[];
  levels: Array<{ key: string; count: number }>;
  expiring: ExpiringCertificate[];
  adoption: Adoption;
  providers: ProviderGroup[];
  /** Present with --diff: every change, and how many domains were compared. */
  diff?: { changes: Change[]; compared: number };
}

export interface ModelOptions {
  now: Date;
  expiryWarnDays: number;
  lineFor: (result: DomainResult, rec: PolicyRecommendation) => PolicyLineText;
}

const s = (text: string, max = TEXT_MAX) => sanitizeText(text, max);

function mxText(result: DomainResult): string {
  if (result.status === 'internal-error') return 'mxtls internal error';
  const mx = result.mx;
  if (mx.status === 'ok') return result.hosts.map((h) => s(h.name, NAME_MAX)).join(' ') + (mx.explicit ? ' (next hop)' : mx.implicit ? ' (implicit)' : '');
  return mx.status === 'dns-error' ? `DNS ${s(mx.reason, 20)}` : mx.status.replace(/-/g, ' ');
}

function hostRows(result: DomainResult): HostRow[] {
  return result.hosts.map((host) => ({
    name: s(host.name, NAME_MAX),
    preference: host.preference,
    addresses: host.addresses.map(({ probe, observation }): AddressRow => {
      const leaf = probe.tls?.chain[0];
      const banner = probe.greeting?.lines[0];
      return {
        address: s(probe.address, 60),
        observation: observationWord(observation, PLAIN),
        ...(probe.tls ? { tls: `${s(probe.tls.protocol, 20)} ${s(probe.tls.cipher, 60)}` } : {}),
        ...(leaf ? { certificate: s(leaf.subjectCN.join(', ') || leaf.subject), notAfter: s(leaf.notAfter, 40) } : {}),
        ...(banner !== undefined ? { banner: s(banner) } : {}),
      };
    }),
  }));
}

function rankOf(rec: PolicyRecommendation): number {
  return rec.kind === 'line' && rec.level !== undefined ? levelRank(rec.level) : -1;
}

/** Fed one domain at a time (the recommendation after --previous, if any), built once. */
export class ReportBuilder {
  private readonly rows: DomainRow[] = [];
  private readonly levels = new Map<string, number>();
  private readonly expiring: ExpiringCertificate[] = [];
  private readonly adoption: Adoption = { mailDomains: 0, dnssec: 0, dane: 0, stsEnforce: 0, stsTesting: 0, stsInvalid: 0, tlsRpt: 0 };
  /** Sorted MX host names joined by spaces → the domains on exactly those hosts. */
  private readonly byHosts = new Map<string, ProviderGroup>();
  private changes: Change[] | undefined;
  private compared = 0;

  constructor(private readonly options: ModelOptions) {}

  domain(result: DomainResult, rec: PolicyRecommendation): void {
    const levelKey = tallyKey(rec, NO_MAIL_KEY);
    this.levels.set(levelKey, (this.levels.get(levelKey) ?? 0) + 1);
    const domain = s(rec.domain, NAME_MAX);
    this.rows.push({
      domain,
      levelKey: s(levelKey, 20),
      rank: rankOf(rec),
      line: this.options.lineFor(result, rec),
      mx: mxText(result),
      declared: declaredCell(result, PLAIN),
      reasons: reasonLines(rec).map((r) => s(r)),
      warnings: rec.warnings.map((w) => s(warningText(w))),
      ...(rec.carriedOverFrom ? { carriedOverFrom: s(rec.carriedOverFrom, 40) } : {}),
      hosts: hostRows(result),
    });
    this.noteExpiry(result, rec, domain);
    if (result.status === 'scanned') this.noteDeclarations(result);
    this.noteProvider(result, domain, levelKey);
  }

  /** Changes found by the diff session for this run (domain by domain, then the gone ones). */
  diffChanges(changes: readonly Change[], compared: boolean): void {
    this.changes ??= [];
    this.changes.push(...changes);
    if (compared) this.compared++;
  }

  build(): ReportModel {
    const levels = [...this.levels].map(([key, count]) => ({ key, count }));
    return {
      rows: this.rows,
      levels,
      expiring: [...this.expiring].sort((a, b) => (a.notAfter < b.notAfter ? -1 : a.notAfter > b.notAfter ? 1 : 0)),
      adoption: this.adoption,
      providers: [...this.byHosts.values()]
        .filter((g) => g.domains.length > 1)
        .map((g) => ({ ...g, domains: [...g.domains].sort() }))
        .sort((a, b) => b.domains.length - a.domains.length),
      ...(this.changes ? { diff: { changes: this.changes, compared: this.compared } } : {}),
    };
  }

  /** The diff's own expiry rule (only certificates whose dates matter to Postfix, see snapshot.ts). */
  private noteExpiry(result: DomainResult, rec: PolicyRecommendation, domain: string): void {
    const facts = expiryChanges(undefined, toSnapshot(result, rec), { now: this.options.now, expiryWarnDays: this.options.expiryWarnDays });
    for (const fact of facts) {
      if (fact.type !== 'certificate-expiring' && fact.type !== 'certificate-expired') continue;
      const { host, address, notAfter } = fact.details;
      const leaf = result.hosts.find((h) => h.name === host)?.addresses.find((a) => a.probe.address === address)?.probe.tls?.chain[0];
      this.expiring.push({
        domain,
        host: s(host, NAME_MAX),
        address: s(address, 60),
        notAfter: s(notAfter, 40),
        ...(fact.type === 'certificate-expiring' ? { daysLeft: fact.details.daysLeft } : {}),
        subject: leaf ? s(leaf.subjectCN.join(', ') || leaf.subject) : '',
      });
    }
  }

  private noteDeclarations(result: DomainResult): void {
    const a = this.adoption;
    a.mailDomains++;
    if (result.dnssec === 'secure') a.dnssec++;
    if (result.hosts.some((h) => h.dane?.status === 'tlsa' && h.dane.usable > 0)) a.dane++;
    const sts = result.mtaSts;
    if (sts?.status === 'ok' && sts.policy?.mode === 'enforce') a.stsEnforce++;
    if (sts?.status === 'ok' && sts.policy?.mode === 'testing') a.stsTesting++;
    if (sts?.status === 'invalid') a.stsInvalid++;
    if (result.tlsRpt?.status === 'ok') a.tlsRpt++;
  }

  /** Domains on exactly the same MX hosts share a provider (or one postmaster's servers). */
  private noteProvider(result: DomainResult, domain: string, levelKey: string): void {
    if (result.status !== 'scanned' || result.hosts.length === 0) return;
    const hosts = [...new Set(result.hosts.map((h) => s(h.name, NAME_MAX)))].sort();
    const key = hosts.join(' ');
    let group = this.byHosts.get(key);
    if (!group) {
      group = { hosts, domains: [], levels: new Map() };
      this.byHosts.set(key, group);
    }
    group.domains.push(domain);
    group.levels.set(levelKey, (group.levels.get(levelKey) ?? 0) + 1);
  }
}
