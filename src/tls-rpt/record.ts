// The `_smtp._tls.<domain>` TLS-RPT record (RFC 8460 §3). Pure.
//
//   tlsrpt-record  = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
//   field-delim    = *WSP ";" *WSP
//   tlsrpt-field   = tlsrpt-rua / tlsrpt-extension       ; rua required
//   tlsrpt-version = %s"v=TLSRPTv1"                       ; case-sensitive
//   tlsrpt-rua     = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
//   tlsrpt-uri     = URI with "," "!" ";" percent-encoded; schemes mailto and https
//   tlsrpt-extension = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".") "=" 1*(%x21-3A / %x3C / %x3E-7E)
//
// Records that do not begin with v=TLSRPTv1 are discarded; if not exactly one is left, the
// domain has no TLS-RPT (more than one is reported as invalid: the domain meant to have it).
import { EXT_NAME, EXT_VALUE, beginsWithVersion, stepToField, takeField } from '../mta-sts/txt-fields.js';
import type { DnsAnswer, TlsRptReport } from '../types.js';

/** The shared result type (src/types.ts). */
export type TlsRptResult = TlsRptReport;

export type TlsRptParse = { ok: true; rua: string[]; ignored: string[] } | { ok: false; reason: string };

const VERSION = 'v=TLSRPTv1';
/** RFC 3986 URI characters, without "," "!" ";" (those must be percent-encoded here). */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@$&'()*+=%]+$/;

export function isTlsRptRecord(text: string): boolean {
  return beginsWithVersion(text, VERSION);
}

function supported(uri: string): boolean {
  const scheme = uri.slice(0, uri.indexOf(':')).toLowerCase();
  if (scheme === 'mailto') return /^[^@]+@[^@]+$/.test(decodeSafe(uri.slice(uri.indexOf(':') + 1)));
  // "https:host" would parse (WHATWG URL is lenient); RFC 3986 needs the authority.
  if (scheme !== 'https' || !/^https:\/\/[^/]/i.test(uri)) return false;
  try {
    return new URL(uri).hostname !== '';
  } catch {
    return false;
  }
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function parseTlsRptRecord(text: string): TlsRptParse {
  if (!text.startsWith(VERSION)) return { ok: false, reason: `does not start with ${VERSION}` };
  let rest = text.slice(VERSION.length);
  const uris: string[] = [];
  let sawRua = false;
  for (;;) {
    const step = stepToField(rest);
    if (step.kind === 'end') break;
    if (step.kind === 'error') return { ok: false, reason: step.reason };
    rest = step.rest;
    if (rest.startsWith('rua=')) {
      sawRua = true;
      // The URI list runs to the next ";" (URIs cannot contain one).
      const end = rest.indexOf(';');
      const list = (end < 0 ? rest : rest.slice(0, end)).replace(/[ \t]+$/, '');
      rest = end < 0 ? '' : rest.slice(list.length);
      for (const uri of list.slice(4).split(/[ \t]*,[ \t]*/)) {
        if (!URI.test(uri)) return { ok: false, reason: `rua: malformed URI ${JSON.stringify(uri.slice(0, 60))}` };
        uris.push(uri);
      }
      continue;
    }
    let field: string;
    [field, rest] = takeField(rest);
    const eq = field.indexOf('=');
    const name = eq > 0 ? field.slice(0, eq) : '';
    if (!EXT_NAME.test(name) || !EXT_VALUE.test(field.slice(eq + 1))) {
      return { ok: false, reason: `malformed field ${JSON.stringify(field.slice(0, 40))}` };
    }
  }
  if (!sawRua) return { ok: false, reason: 'no rua field' };
  const rua = uris.filter(supported);
  const ignored = uris.filter((uri) => !supported(uri));
  if (rua.length === 0) return { ok: false, reason: 'no mailto: or https: reporting URI' };
  return { ok: true, rua: [...new Set(rua)], ignored };
}

/** Judge a TXT RRset (each record a list of character-strings). */
export function evaluateTlsRptTxt(rrset: readonly (readonly string[])[]): TlsRptResult {
  const texts = rrset.map((strings) => strings.join('')).filter(isTlsRptRecord);
  if (texts.length === 0) return { status: 'none', rua: [] };
  if (texts.length > 1) return { status: 'invalid', rua: [], reason: `${texts.length} v=TLSRPTv1 TXT records (exactly one allowed)` };
  const parsed = parseTlsRptRecord(texts[0]!);
  if (!parsed.ok) return { status: 'invalid', rua: [], reason: parsed.reason };
  return { status: 'ok', rua: parsed.rua, ...(parsed.ignored.length > 0 ? { ignored: parsed.ignored } : {}) };
}

export function tlsRptTxtName(domain: string): string {
  const lower = domain.toLowerCase();
  return `_smtp._tls.${lower.endsWith('.') ? lower.slice(0, -1) : lower}`;
}

/** The TLS-RPT verdict from the answer to `_smtp._tls.<domain>` TXT. */
export function evaluateTlsRpt(answer: DnsAnswer<string[]>): TlsRptResult {
  if (answer.status === 'nxdomain' || answer.status === 'nodata') return { status: 'none', rua: [] };
  if (answer.status !== 'ok') {
    const detail = answer.detail !== undefined ? ` (${answer.detail})` : '';
    return { status: 'unknown', rua: [], reason: `TXT lookup: ${answer.status}${detail}` };
  }
  return evaluateTlsRptTxt(answer.records);
}
