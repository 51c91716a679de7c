// DANE matching for SMTP (pure): does a TLSA RRset authenticate the chain a server sent, as
// OpenSSL decides it for Postfix?
//
// Postfix hands the TLSA records to OpenSSL (tls_dane.c: SSL_dane_tlsa_add per record, records
// OpenSSL refuses are "unusable") with DANE_FLAG_NO_DANE_EE_NAMECHECKS, and OpenSSL 3's
// x509_vfy.c decides. Node offers no DANE API, so this module follows that code step by step;
// the referee test (test/integration/dane-openssl-referee.test.ts) holds it to `openssl
// s_client -dane_tlsa_rrdata` on the same chains.
//
// dane_verify(): the leaf is compared with the DANE-EE(3) records first. A match authenticates
// the server outright: no chain, no name check (RFC 7672 §3.1.1), no date check.
// Otherwise, with DANE-TA(2) records, build_chain() grows a path from the leaf:
// - the candidates are the full certificates of "2 0 0" records, *prepended* to the certificates
//   the server sent (so a trust anchor from DNS wins over a cross-signed copy the server sent);
// - each step takes, in that order, the first candidate that issued the top of the path and is
//   not in it yet, preferring one that is within its dates (get0_best_issuer_sk); a self-signed
//   top ends the path, so a lone self-signed leaf never reaches a trust anchor (a leaf is never
//   its own DANE-TA);
// - each certificate added is compared with the DANE-TA records at its depth; the first match
//   makes it the trust anchor (check_dane_issuer);
// - failing that, a "2 1 0" record's bare key that signed the top of the path makes the top
//   the authenticated certificate, reported at its own depth (check_dane_pkeys).
// Then verify_chain() checks the path: certificates above the leaf must be CAs and every
// certificate must be fit for a TLS server (check_extensions), the leaf must carry a reference
// name (check_id, RFC 7672 §3.2.2), signatures and dates must hold (internal_verify: every
// certificate below the anchor, and the anchor's own dates when it is self-issued).
//
// Digest agility (RFC 7671 §9, dane_match_cert): records are taken per usage and selector, the
// strongest digest first; once a digest type was tried, weaker digest types of the same usage
// and selector are ignored, while Full(0) records are always compared.
//
// Selector 0 is the certificate's DER, 1 its SubjectPublicKeyInfo DER as it appears inside the
// certificate. Matching type 0 compares the bytes, 1 their SHA-256, 2 their SHA-512.
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { CertificateSummary, DaneMatchedBy, DaneTaFailure } from '../types.js';
import { readDerFields } from '../tls/certificate.js';
import { TLSA_MATCHING, TLSA_SELECTOR, TLSA_USAGE, isUsableForSmtp, type TlsaRecord } from './tlsa-record.js';

export interface DaneMatchOptions {
  /** Whether the leaf carries a DANE-TA reference name (TLSA base domain or MX host name). */
  leafNameMatches: boolean;
  /** The time DANE-TA validity periods are judged at (DANE-EE ignores dates). */
  now: Date;
}

export interface DaneMatchResult {
  /** Number of usable records (RFC 7672 §3.1) in the RRset. */
  usable: number;
  matched: boolean;
  by?: DaneMatchedBy;
  /** Set when a DANE-TA record found its trust anchor but the path from the leaf failed. */
  taFailure?: DaneTaFailure;
}

/**
 * Postfix's smtp_tls_scert_verifydepth (9) is OpenSSL's verify depth; build_chain() grows the
 * path to one more than that and fails anything longer.
 */
const MAX_PATH = 9 + 2;

/** id-kp-serverAuth: X509_PURPOSE_SSL_SERVER, which OpenSSL checks for a TLS client. */
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/** One certificate, with what the checks need computed once. */
class Cert {
  private spkiBytes: Uint8Array | undefined | null = null;
  private x509: X509Certificate | undefined | null = null;
  constructor(readonly der: Uint8Array) {}

  selected(selector: number): Uint8Array | undefined {
    if (selector === TLSA_SELECTOR.CERT) return this.der;
    if (this.spkiBytes === null) this.spkiBytes = readDerFields(this.der).spki;
    return this.spkiBytes;
  }

  parsed(): X509Certificate | undefined {
    if (this.x509 === null) this.x509 = safe(() => new X509Certificate(this.der));
    return this.x509;
  }

  same(other: Cert): boolean {
    return other === this || Buffer.from(other.der).equals(Buffer.from(this.der));
  }
}

function safe<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

/** SSL_CTX_dane_enable's digest ordinals: a higher ordinal is the stronger digest. */
const ORDINAL: Readonly<Record<number, number>> = { [TLSA_MATCHING.FULL]: 0, [TLSA_MATCHING.SHA2_256]: 1, [TLSA_MATCHING.SHA2_512]: 2 };

/**
 * The order SSL_dane_tlsa_add keeps: usage, then selector ascending, then the strongest digest
 * first; a record added later goes before an equal one added earlier.
 */
function openSslOrder(records: readonly TlsaRecord[]): TlsaRecord[] {
  const out: TlsaRecord[] = [];
  for (const r of records) {
    let i = 0;
    for (; i < out.length; i++) {
      const o = out[i]!;
      if (o.usage !== r.usage) {
        if (o.usage > r.usage) break;
        continue;
      }
      if (o.selector !== r.selector) {
        if (o.selector > r.selector) break;
        continue;
      }
      if (ORDINAL[o.matchingType]! > ORDINAL[r.matchingType]!) continue;
      break;
    }
    out.splice(i, 0, r);
  }
  return out;
}

function digest(bytes: Uint8Array, matchingType: number): string {
  if (matchingType === TLSA_MATCHING.SHA2_256) return createHash('sha256').update(bytes).digest('hex');
  if (matchingType === TLSA_MATCHING.SHA2_512) return createHash('sha512').update(bytes).digest('hex');
  return Buffer.from(bytes).toString('hex');
}

/** dane_match_cert: the record of `usage` that matches `cert`, with digest agility. */
function matchCert(sorted: readonly TlsaRecord[], cert: Cert, usage: number): TlsaRecord | undefined {
  let selector = -1;
  let ordinal = -1;
  for (const t of sorted) {
    if (t.usage !== usage) continue;
    if (t.selector !== selector) {
      selector = t.selector;
      ordinal = ORDINAL[t.matchingType]!;
    } else if (t.matchingType !== TLSA_MATCHING.FULL && ORDINAL[t.matchingType]! < ordinal) {
      continue;
    }
    const bytes = cert.selected(t.selector);
    if (bytes && digest(bytes, t.matchingType) === t.data.toLowerCase()) return t;
  }
  return undefined;
}

/** X509_self_signed(cert, 0) as far as Node shows it: issued by its own key's name and ids. */
function selfSigned(cert: Cert): boolean {
  const x = cert.parsed();
  return !!x && (safe(() => x.checkIssued(x)) ?? false);
}

function withinDates(cert: Cert, now: Date): boolean {
  const x = cert.parsed();
  if (!x) return false;
  const from = Date.parse(x.validFrom);
  const to = Date.parse(x.validTo);
  const t = now.getTime();
  return !Number.isNaN(from) && !Number.isNaN(to) && from <= t && t <= to;
}

/** get0_best_issuer_sk: the first candidate within its dates, else the one that expires last. */
function bestIssuer(candidates: readonly Cert[], top: Cert, path: readonly Cert[], now: Date): Cert | undefined {
  const child = top.parsed();
  if (!child) return undefined;
  let fallback: { cert: Cert; notAfter: number } | undefined;
  for (const candidate of candidates) {
    if (path.some((p) => p.same(candidate))) continue;
    const issuer = candidate.parsed();
    if (!issuer || !safe(() => child.checkIssued(issuer))) continue;
    if (withinDates(candidate, now)) return candidate;
    const notAfter = Date.parse(issuer.validTo);
    if (!fallback || notAfter > fallback.notAfter) fallback = { cert: candidate, notAfter };
  }
  return fallback?.cert;
}

/** The certificate a "2 0 0" record carries; SSL_dane_tlsa_add refuses the record otherwise. */
function dnsCertificate(record: TlsaRecord): Cert | undefined {
  if (record.usage !== TLSA_USAGE.DANE_TA || record.selector !== TLSA_SELECTOR.CERT || record.matchingType !== TLSA_MATCHING.FULL) return undefined;
  const cert = new Cert(Buffer.from(record.data, 'hex'));
  return cert.parsed() ? cert : undefined;
}

function bareKey(record: TlsaRecord): KeyObject | undefined {
  if (record.usage !== TLSA_USAGE.DANE_TA || record.selector !== TLSA_SELECTOR.SPKI || record.matchingType !== TLSA_MATCHING.FULL) return undefined;
  return safe(() => createPublicKey({ key: Buffer.from(record.data, 'hex'), format: 'der', type: 'spki' }));
}

/** Node 24 names the extended key usages `extKeyUsage`; Node 20 calls them `keyUsage`. */
function extendedKeyUsage(x: X509Certificate): readonly string[] | undefined {
  const eku = (x as { extKeyUsage?: unknown }).extKeyUsage ?? safe(() => x.keyUsage);
  return Array.isArray(eku) ? (eku as string[]) : undefined;
}

interface Anchor {
  /** The path from the leaf (index 0) up to the authenticated certificate. */
  path: Cert[];
  record: TlsaRecord;
  /** Authenticated by a bare key from DNS that signed the top of the path. */
  bare: boolean;
}

/** build_chain() with DANE-TA records only (Postfix never looks in the trust store for DANE). */
function findAnchor(sorted: readonly TlsaRecord[], sent: readonly Cert[], now: Date): Anchor | undefined {
  const candidates = [...sorted.map(dnsCertificate).filter((c): c is Cert => c !== undefined), ...sent];
  const path = [sent[0]!];
  while (path.length <= MAX_PATH && !selfSigned(path[path.length - 1]!)) {
    const issuer = bestIssuer(candidates, path[path.length - 1]!, path, now);
    if (!issuer) break;
    candidates.splice(candidates.indexOf(issuer), 1);
    path.push(issuer);
    const record = matchCert(sorted, issuer, TLSA_USAGE.DANE_TA);
    if (record) return { path, record, bare: false };
  }
  if (path.length > MAX_PATH) return undefined;
  const top = path[path.length - 1]!.parsed();
  for (const record of sorted) {
    const key = bareKey(record);
    if (top && key && safe(() => top.verify(key))) return { path, record, bare: true };
  }
  return undefined;
}

/** verify_chain() after a DANE-TA anchor was found: the first check that fails, in OpenSSL's order. */
function checkPath(anchor: Anchor, leafNameMatches: boolean, now: Date): DaneTaFailure | undefined {
  const parsed = anchor.path.map((c) => c.parsed());
  if (parsed.some((x) => !x)) return 'chain-invalid';
  const xs = parsed as X509Certificate[];
  const top = xs.length - 1;
  // check_extensions: CA certificates above the leaf; a TLS server's purpose wherever stated.
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const eku = extendedKeyUsage(x);
    if (eku && !eku.includes(SERVER_AUTH)) return 'chain-invalid';
    // X509_check_ca must be 1 (basicConstraints CA:TRUE, keyCertSign if keyUsage is present:
    // Node's `ca`) between the leaf and the top; the top may also be a self-signed root without
    // basicConstraints (OpenSSL accepts any non-zero X509_check_ca there, e.g. v1 roots).
    if (i > 0 && !x.ca && (i < top || !selfSigned(anchor.path[i]!))) return 'chain-invalid';
  }
  // check_id
  if (!leafNameMatches) return 'name-mismatch';
  // internal_verify: each certificate below the top signed by the one above it.
  for (let i = 0; i < top; i++) {
    const key = safe(() => xs[i + 1]!.publicKey);
    if (!key || !safe(() => xs[i]!.checkIssued(xs[i + 1]!)) || !safe(() => xs[i]!.verify(key))) return 'chain-invalid';
  }
  // Dates: every certificate below the trust anchor (with a bare key, the whole path is below
  // it), and a self-issued anchor's own; an anchor that is not self-issued (an intermediate
  // named by the record) is trusted whatever its dates. Observed with OpenSSL 3.0 s_client in
  // the referee test, which pins it.
  const dated = anchor.bare || selfSigned(anchor.path[top]!) ? anchor.path : anchor.path.slice(0, top);
  return dated.every((c) => withinDates(c, now)) ? undefined : 'expired';
}

/**
 * Matches a TLSA RRset against the chain as the server sent it (DER, leaf first). Unusable records
 * (PKIX usages, unknown values, bad lengths, full data OpenSSL cannot load) are ignored. Never
 * throws.
 */
export function matchTlsa(records: readonly TlsaRecord[], chain: readonly Uint8Array[], opts: DaneMatchOptions): DaneMatchResult {
  const usable = records.filter(isUsableForSmtp);
  const result: DaneMatchResult = { usable: usable.length, matched: false };
  if (usable.length === 0 || chain.length === 0) return result;
  const sorted = openSslOrder(usable);
  const sent = chain.map((der) => new Cert(der));

  const ee = matchCert(sorted, sent[0]!, TLSA_USAGE.DANE_EE);
  if (ee) return { ...result, matched: true, by: by(ee, 0) };
  if (!sorted.some((r) => r.usage === TLSA_USAGE.DANE_TA)) return result;

  const anchor = findAnchor(sorted, sent, opts.now);
  if (!anchor) return result;
  const failure = checkPath(anchor, opts.leafNameMatches, opts.now);
  if (failure) return { ...result, taFailure: failure };
  return { ...result, matched: true, by: by(anchor.record, anchor.path.length - 1) };
}

function by(record: TlsaRecord, depth: number): DaneMatchedBy {
  return { usage: record.usage, selector: record.selector, matchingType: record.matchingType, depth };
}

/**
 * The DER chain kept by the probe (CertificateSummary.der, base64), leaf first; undefined when
 * any certificate lacks it (an old report, or a probe that did not keep DER): then DANE cannot
 * be judged and must not be reported as a mismatch.
 */
export function chainDer(chain: readonly CertificateSummary[]): Buffer[] | undefined {
  const out: Buffer[] = [];
  for (const cert of chain) {
    if (typeof cert.der !== 'string' || cert.der.length === 0) return undefined;
    out.push(Buffer.from(cert.der, 'base64'));
  }
  return out.length > 0 ? out : undefined;
}
