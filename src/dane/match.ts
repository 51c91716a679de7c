// DANE matching for SMTP (pure): does a TLSA RRset authenticate the chain a server presented?
//
// RFC 7672 §3.1.1, DANE-EE(3): only the leaf (depth 0) is compared. No name check, no expiry
// check, no chain validation: the TLSA record itself is the authentication.
// RFC 7672 §3.1.2 / RFC 7671 §5.2.2, DANE-TA(2): the record names a trust anchor. The TA must be
// a certificate the server sent (depth >= 1; OpenSSL, which Postfix uses, never matches DANE-TA
// at depth 0), and the chain from the leaf up to it must be valid: each certificate issued and
// signed by the next, and within its validity period (OpenSSL 3 checks the time of every
// certificate in the path, the TA certificate included). The leaf must then pass the name check
// against the TLSA base domain / MX host name, which the caller does and passes in.
// RFC 7671 §5.2.2 also lets a server leave out the TA certificate when the record carries it in
// full ("2 0 0" a certificate, "2 1 0" a public key): then the top certificate the server sent
// must be signed by that key. Such a match is reported at depth = chain length.
//
// Selector 0 is the certificate's DER, 1 its SubjectPublicKeyInfo DER as it appears inside the
// certificate. Matching type 0 compares the bytes, 1 their SHA-256, 2 their SHA-512.
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { CertificateSummary, DaneMatchedBy, DaneTaFailure } from '../types.js';
import { readDerFields } from '../tls/certificate.js';
import { TLSA_MATCHING, TLSA_SELECTOR, TLSA_USAGE, isUsableForSmtp, type TlsaRecord } from './tlsa-record.js';

export interface DaneMatchOptions {
  /** Whether the leaf matches a DANE-TA reference name (TLSA base domain or MX host name). */
  leafNameMatches: boolean;
  /** The time DANE-TA validity periods are judged at (DANE-EE ignores dates). */
  now: Date;
}

export interface DaneMatchResult {
  /** Number of usable records (RFC 7672 §3.1) in the RRset. */
  usable: number;
  matched: boolean;
  by?: DaneMatchedBy;
  /** Set when no record authenticated the server but a DANE-TA record matched a certificate. */
  taFailure?: DaneTaFailure;
}

/** Per-certificate lazily computed selector bytes. */
class Cert {
  private spkiBytes: Uint8Array | undefined | null = null;
  private x509: X509Certificate | undefined | null = null;
  constructor(readonly der: Uint8Array) {}

  selected(selector: number): Uint8Array | undefined {
    if (selector === TLSA_SELECTOR.CERT) return this.der;
    if (this.spkiBytes === null) {
      this.spkiBytes = readDerFields(this.der).spki;
      if (!this.spkiBytes) {
        const key = safe(() => this.parsed()?.publicKey.export({ type: 'spki', format: 'der' }));
        this.spkiBytes = key ? new Uint8Array(key) : undefined;
      }
    }
    return this.spkiBytes;
  }

  parsed(): X509Certificate | undefined {
    if (this.x509 === null) this.x509 = safe(() => new X509Certificate(this.der));
    return this.x509;
  }
}

function safe<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

function associate(bytes: Uint8Array, matchingType: number): string | undefined {
  switch (matchingType) {
    case TLSA_MATCHING.FULL:
      return Buffer.from(bytes).toString('hex');
    case TLSA_MATCHING.SHA2_256:
      return createHash('sha256').update(bytes).digest('hex');
    case TLSA_MATCHING.SHA2_512:
      return createHash('sha512').update(bytes).digest('hex');
    default:
      return undefined;
  }
}

function recordMatches(record: TlsaRecord, cert: Cert): boolean {
  const bytes = cert.selected(record.selector);
  return !!bytes && associate(bytes, record.matchingType) === record.data.toLowerCase();
}

function withinValidity(cert: X509Certificate, now: Date): boolean {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  const t = now.getTime();
  return !Number.isNaN(from) && !Number.isNaN(to) && from <= t && t <= to;
}

/** child was issued by the holder of `key` (and, given, the issuer certificate's name). */
function signedBy(child: X509Certificate, key: KeyObject, issuer?: X509Certificate): boolean {
  if (issuer && !safe(() => child.checkIssued(issuer))) return false;
  return safe(() => child.verify(key)) ?? false;
}

/**
 * The path leaf → chain[depth - 1] is valid up to the anchor `key` (the certificate at `depth`,
 * or a key from the record): each link issued and signed, each certificate within its dates.
 */
function pathTo(
  certs: readonly Cert[],
  depth: number,
  anchorKey: KeyObject,
  anchorCert: X509Certificate | undefined,
  now: Date,
): 'ok' | 'chain-invalid' | 'expired' {
  const parsed: X509Certificate[] = [];
  for (let i = 0; i < depth; i++) {
    const x = certs[i]?.parsed();
    if (!x) return 'chain-invalid';
    parsed.push(x);
  }
  for (let i = 0; i < depth; i++) {
    const child = parsed[i]!;
    const parent = i + 1 < depth ? parsed[i + 1] : anchorCert;
    const key = i + 1 < depth ? safe(() => parent!.publicKey) : anchorKey;
    if (!key || !signedBy(child, key, parent)) return 'chain-invalid';
  }
  const dated = anchorCert ? [...parsed, anchorCert] : parsed;
  return dated.every((x) => withinValidity(x, now)) ? 'ok' : 'expired';
}

/** The TA a full ("2 0 0" / "2 1 0") record carries, when it parses. */
function anchorFromRecord(record: TlsaRecord): { key: KeyObject; cert?: X509Certificate } | undefined {
  if (record.matchingType !== TLSA_MATCHING.FULL) return undefined;
  const bytes = Buffer.from(record.data, 'hex');
  if (record.selector === TLSA_SELECTOR.CERT) {
    const cert = safe(() => new X509Certificate(bytes));
    const key = cert ? safe(() => cert.publicKey) : undefined;
    return cert && key ? { key, cert } : undefined;
  }
  const key = safe(() => createPublicKey({ key: bytes, format: 'der', type: 'spki' }));
  return key ? { key } : undefined;
}

const TA_FAILURE_RANK: Readonly<Record<DaneTaFailure, number>> = { 'chain-invalid': 1, expired: 2, 'name-mismatch': 3 };

/**
 * Matches a TLSA RRset against the presented chain (DER, leaf first, as the server sent it).
 * Unusable records (PKIX usages, unknown values, bad lengths) are ignored. Never throws.
 */
export function matchTlsa(records: readonly TlsaRecord[], chain: readonly Uint8Array[], opts: DaneMatchOptions): DaneMatchResult {
  const usable = records.filter(isUsableForSmtp);
  const result: DaneMatchResult = { usable: usable.length, matched: false };
  const certs = chain.map((der) => new Cert(der));
  const leaf = certs[0];
  if (usable.length === 0 || !leaf) return result;

  // DANE-EE(3): the leaf only.
  for (const record of usable) {
    if (record.usage === TLSA_USAGE.DANE_EE && recordMatches(record, leaf)) {
      return { ...result, matched: true, by: by(record, 0) };
    }
  }

  // DANE-TA(2): the lowest certificate above the leaf that a record matches, then the path.
  let failure: DaneTaFailure | undefined;
  const fail = (f: DaneTaFailure): void => {
    if (!failure || TA_FAILURE_RANK[f] > TA_FAILURE_RANK[failure]) failure = f;
  };
  const taRecords = usable.filter((r) => r.usage === TLSA_USAGE.DANE_TA);
  const tryAnchor = (record: TlsaRecord, depth: number, key: KeyObject | undefined, cert: X509Certificate | undefined): boolean => {
    const path = key ? pathTo(certs, depth, key, cert, opts.now) : 'chain-invalid';
    if (path !== 'ok') {
      fail(path);
      return false;
    }
    if (!opts.leafNameMatches) {
      fail('name-mismatch');
      return false;
    }
    result.matched = true;
    result.by = by(record, depth);
    return true;
  };
  for (let depth = 1; depth < certs.length; depth++) {
    const cert = certs[depth]!;
    for (const record of taRecords) {
      if (!recordMatches(record, cert)) continue;
      const x = cert.parsed();
      if (tryAnchor(record, depth, x ? safe(() => x.publicKey) : undefined, x)) return result;
    }
  }
  // RFC 7671 §5.2.2: a TA carried in full by the record, not sent by the server.
  for (const record of taRecords) {
    const anchor = anchorFromRecord(record);
    if (!anchor) continue;
    const top = certs[certs.length - 1]!.parsed();
    // Only when it really signed the top certificate (otherwise it is simply not this chain's TA).
    if (!top || !signedBy(top, anchor.key, anchor.cert)) continue;
    if (tryAnchor(record, certs.length, anchor.key, anchor.cert)) return result;
  }
  if (failure) result.taFailure = failure;
  return result;
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
