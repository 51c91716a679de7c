// The detailed view of one domain, for a postmaster deciding whether to trust the line:
// the MX list, then for each address what posttls-finger would show (banner, EHLO, TLS
// parameters, the chain, trust and name match), then the recommendation with every reason.
// Everything that came from the network goes through sanitizeText.

import Table from 'cli-table3';
import type { AddressResult, CertificateSummary, DomainResult, HostResult, PolicyRecommendation, SmtpReply } from '../types.js';
import { addressDaneText, dnssecText, hostDaneText } from './declared.js';
import { keyExchangeText } from './key-exchange.js';
import { sanitizeText } from './sanitize.js';
import { levelWord, observationWord, palette, type Palette } from './style.js';
import { reasonLines, warningText } from './reason-text.js';

export interface DetailOptions {
  color: boolean;
  /** The moment "days left" is counted from; fixed in tests. */
  now?: Date;
}

const LABEL_WIDTH = 16;
const DAY_MS = 86_400_000;

/** A label/value line at an indent; the value is trusted to be sanitised already. */
function field(indent: number, label: string, value: string): string {
  return `${' '.repeat(indent)}${label.padEnd(LABEL_WIDTH - 1)} ${value}`;
}

const s = (text: string, max?: number): string => sanitizeText(text, max);

function replyLines(indent: number, label: string, reply: SmtpReply): string[] {
  const lines = reply.lines.length > 0 ? reply.lines : [''];
  return lines.map((line, i) => field(indent, i === 0 ? label : '', `${reply.code} ${s(line)}`));
}

function mxSection(result: DomainResult, p: Palette): string[] {
  const mx = result.mx;
  switch (mx.status) {
    case 'null-mx':
      return ['MX: null MX (RFC 7505): accepts no mail'];
    case 'nxdomain':
      return ['MX: the domain does not exist (NXDOMAIN)'];
    case 'no-mail-host':
      return ['MX: no MX and no address record: no mail host'];
    case 'dns-error':
      return [`MX: lookup failed: ${mx.reason}${mx.detail === undefined ? '' : ` (${s(mx.detail)})`}`];
    case 'ok': {
      const table = new Table({
        head: ['pref', 'MX host', 'addresses', 'observation'],
        style: { head: [], border: [] },
      });
      for (const host of result.hosts) {
        const addresses = host.addresses.map((a) => s(a.probe.address, 60)).join(' ');
        table.push([host.preference, s(host.name, 100), addresses || p.dim(host.addressLookup), observationWord(host.observation, p)]);
      }
      const kind = mx.explicit
        ? 'explicit next hop (no MX lookup)'
        : mx.implicit
          ? 'implicit (no MX record: the domain itself, RFC 5321 §5.1)'
          : 'from MX records';
      return [`MX: ${kind}`, table.toString()];
    }
  }
}

/** DNSSEC, DANE, MTA-STS and TLS-RPT as found; each absent when it was not looked up. */
function declarationLines(result: DomainResult, p: Palette): string[][] {
  const lines: string[] = [];
  if (result.dnssec) lines.push(field(0, 'DNSSEC', dnssecText(result.dnssec, p)));
  for (const host of result.hosts) if (host.dane) lines.push(field(0, 'DANE', `${s(host.name, 100)}: ${hostDaneText(host.dane)}`));
  const sts = result.mtaSts;
  if (sts) {
    const policy = sts.policy;
    const what = sts.status === 'ok' && policy
      ? `${policy.mode}${sts.id ? ` (id ${s(sts.id, 40)})` : ''}, mx ${policy.mx.map((m) => s(m, 100)).join(' ')}, max_age ${policy.maxAge}`
      : `${sts.status}${sts.reason ? `: ${s(sts.reason)}` : ''}`;
    lines.push(field(0, 'MTA-STS', what));
  }
  const rpt = result.tlsRpt;
  if (rpt) lines.push(field(0, 'TLS-RPT', rpt.status === 'ok' ? `reports to ${rpt.rua.map((u) => s(u, 120)).join(' ')}` : `${rpt.status}${rpt.reason ? `: ${s(rpt.reason)}` : ''}`));
  return lines.length ? [lines] : [];
}

function validity(cert: CertificateSummary, now: Date): string {
  const notAfter = Date.parse(cert.notAfter);
  const span = `${s(cert.notBefore, 40)} to ${s(cert.notAfter, 40)}`;
  if (Number.isNaN(notAfter)) return span;
  if (Date.parse(cert.notBefore) > now.getTime()) return `${span} (not yet valid)`;
  const left = notAfter - now.getTime();
  // Whole days in both directions: 3 days 2 hours after expiry is "3 days ago", not 4.
  return left < 0
    ? `${span} (expired ${Math.floor(-left / DAY_MS)} days ago)`
    : `${span} (${Math.floor(left / DAY_MS)} days left)`;
}

function certificateLines(cert: CertificateSummary, index: number, now: Date): string[] {
  const role = index === 0 ? 'leaf' : cert.isCA ? 'CA' : 'intermediate';
  const key = [cert.keyType, cert.keyCurve, cert.keyBits === undefined ? undefined : `${cert.keyBits} bits`]
    .filter((part) => part !== undefined)
    .join(' ');
  return [
    `  certificate ${index} (${role}${cert.selfIssued ? ', self-issued' : ''})`,
    field(4, 'subject', s(cert.subject)),
    field(4, 'SANs', cert.dnsNames.length === 0 ? '(none)' : cert.dnsNames.map((name) => s(name, 100)).join(', ')),
    field(4, 'issuer', s(cert.issuer)),
    field(4, 'valid', validity(cert, now)),
    field(4, 'key', s(key, 60)),
    field(4, 'signature', s(cert.signatureAlgorithm, 60)),
    field(4, 'SHA-256', s(cert.sha256Fingerprint, 70)),
    field(4, 'SPKI SHA-256', s(cert.spkiSha256, 70)),
  ];
}

function tlsLines(a: AddressResult, p: Palette, now: Date): string[] {
  const tls = a.probe.tls;
  if (!tls) return [];
  const kx = tls.keyExchange;
  const lines = [
    field(2, 'protocol', `${s(tls.protocol, 20)}${tls.legacyOnly ? p.bad(' (only with the legacy retry)') : ''}`),
    field(2, 'cipher', `${s(tls.cipher, 80)} (OpenSSL ${s(tls.cipherOpenssl, 80)})`),
    field(2, 'key exchange', kx ? keyExchangeText(kx) : '—'),
  ];
  if (a.probe.ehloTlsKeywords) lines.push(field(2, 'EHLO (TLS)', s(a.probe.ehloTlsKeywords.join(' '), 300)));
  tls.chain.forEach((cert, i) => lines.push(...certificateLines(cert, i, now)));
  const trust = tls.trust.trusted
    ? p.good('trusted')
    : p.bad(`not trusted: ${tls.trust.verdict}${tls.trust.code === undefined ? '' : ` (${s(tls.trust.code, 60)})`}`);
  lines.push(field(2, 'trust', trust));
  if (a.names) {
    const n = a.names;
    const by = n.matchedBy === undefined ? '' : ` by ${s(n.matchedBy, 100)}`;
    const hostname = n.hostname ? p.good(`matches ${s(a.probe.hostname, 100)}${by}`) : p.warn(`does not match ${s(a.probe.hostname, 100)}`);
    lines.push(field(2, 'name match', `${hostname}; nexthop ${n.nexthop ? 'yes' : 'no'}; dot-nexthop ${n.dotNexthop ? 'yes' : 'no'}`));
  }
  return lines;
}

function addressLines(host: HostResult, a: AddressResult, p: Palette, now: Date): string[] {
  const probe = a.probe;
  const where = probe.family === 6 ? `[${s(probe.address, 60)}]:${probe.port}` : `${s(probe.address, 60)}:${probe.port}`;
  const lines = [p.bold(`${s(host.name, 100)} ${where} (preference ${host.preference})`)];
  lines.push(field(2, 'reached', `${probe.stage} in ${probe.durationMs} ms`));
  // A transient answer was retried later in the run (scan/retry.ts); what follows is the last try.
  for (const earlier of probe.earlierAttempts ?? []) {
    lines.push(...replyLines(2, 'retried after', earlier.reply).map((l, i) => (i === 0 ? `${l} (${earlier.stage}, ${s(earlier.startedAt, 30)})` : l)));
  }
  if (probe.failure) {
    const f = probe.failure;
    const code = f.code === undefined ? '' : ` [${s(f.code, 40)}]`;
    lines.push(field(2, 'failure', p.bad(`${f.kind} at ${f.stage}${code}: ${s(f.message)}`)));
  }
  if (probe.greeting) lines.push(...replyLines(2, 'greeting', probe.greeting));
  if (probe.ehloKeywords.length > 0 || probe.heloFallback) {
    const helo = probe.heloFallback ? p.warn(' (EHLO refused, HELO used)') : '';
    lines.push(field(2, 'EHLO', `${s(probe.ehloKeywords.join(' '), 300)}${helo}`));
  }
  if (probe.stage !== 'connect' && probe.stage !== 'greeting') {
    lines.push(field(2, 'STARTTLS', probe.starttlsOffered ? 'offered' : p.bad('not offered')));
  }
  if (probe.starttlsReply) lines.push(...replyLines(2, 'STARTTLS reply', probe.starttlsReply));
  lines.push(...tlsLines(a, p, now));
  if (a.dane) lines.push(field(2, 'DANE', addressDaneText(a.dane, p)));
  lines.push(field(2, 'observation', observationWord(a.observation, p)));
  return lines;
}

function recommendationLines(rec: PolicyRecommendation, p: Palette): string[] {
  const lines = [p.bold(`recommendation: ${levelWord(rec, p)}`)];
  if (rec.kind === 'line' && rec.level !== undefined) {
    const attributes = Object.entries(rec.attributes).map(([name, value]) => `${name}=${value}`);
    lines.push(field(2, 'policy line', s([rec.domain, rec.level, ...attributes].join(' '), 300)));
  }
  lines.push(...reasonLines(rec).map((reason) => field(2, 'reason', s(reason, 300))));
  lines.push(...rec.warnings.map((warning) => field(2, 'warning', p.warn(s(warningText(warning), 300)))));
  return lines;
}

/** A bug of ours, said first and plainly, with where it happened; the stack stays in the JSON. */
function internalErrorLines(result: DomainResult, p: Palette): string[][] {
  const error = result.internalError;
  if (result.status !== 'internal-error' || !error) return [];
  const where = error.address ? ` while probing ${s(error.address, 60)}` : '';
  return [[p.bad(`internal error in mxtls${where}: ${s(error.message, 300)}`), 'a bug in mxtls, not a fault of the domain; the JSON result has the stack']];
}

export function renderDetail(result: DomainResult, rec: PolicyRecommendation, options: DetailOptions): string {
  const p = palette(options.color);
  const now = options.now ?? new Date();
  const input = result.input !== undefined && result.input !== result.domain ? ` (input: ${s(result.input, 100)})` : '';
  const sections = [
    [p.bold(`${s(result.domain, 260)}${input}`), `scanned ${s(result.startedAt, 40)} in ${result.durationMs} ms`],
    ...internalErrorLines(result, p),
    mxSection(result, p),
    ...declarationLines(result, p),
    ...result.hosts.flatMap((host) => host.addresses.map((a) => addressLines(host, a, p, now))),
    recommendationLines(rec, p),
  ];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
