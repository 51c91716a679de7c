// TLSA records (pure): the RDATA wire format and what counts for SMTP.
//
// RFC 6698 §2.1: RDATA = certificate usage (1 octet), selector (1 octet), matching type
// (1 octet), certificate association data (the rest; RFC 6698 puts no lower bound on it, but a
// record with none can match nothing). Values are the IANA "DANE Parameters" registries
// (RFC 7218 acronyms):
//   usage:         0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (255 PrivCert)
//   selector:      0 Cert (full certificate DER), 1 SPKI (SubjectPublicKeyInfo DER) (255 PrivSel)
//   matching type: 0 Full (no hash), 1 SHA2-256, 2 SHA2-512 (255 PrivMatch)
//
// RFC 7672 §3.1 (SMTP, port 25): only DANE-TA(2) and DANE-EE(3) are usable; PKIX-TA(0) and
// PKIX-EE(1) are unusable (there is no agreed set of public CAs for MTA-to-MTA SMTP). A record
// with an unknown usage, selector or matching type is unusable (RFC 6698 §4.1 / RFC 7671 §4).
// A digest whose length does not fit its matching type is unusable too: it can never match, and
// OpenSSL (which Postfix's DANE code uses) refuses to load such a record (DANE_R_BAD_DIGEST_LENGTH).
//
// RFC 7672 §2.2 / §3.1: when a validated TLSA RRset exists but none of its records is usable, the
// host is treated as if it had TLSA records, none usable: the connection must still use TLS but is
// not authenticated. Postfix: level `dane` falls back to `encrypt`, `dane-only` defers.
import { createPublicKey, X509Certificate } from 'node:crypto';
import type { TlsaRecord } from '../types.js';
import { readNode, TAG } from '../tls/der.js';

export const TLSA_USAGE = { PKIX_TA: 0, PKIX_EE: 1, DANE_TA: 2, DANE_EE: 3 } as const;
export const TLSA_SELECTOR = { CERT: 0, SPKI: 1 } as const;
export const TLSA_MATCHING = { FULL: 0, SHA2_256: 1, SHA2_512: 2 } as const;

/** RFC 6698 §7.1: the TLSA RR type (dns2 has no name for it). */
export const TLSA_RR_TYPE = 52;

/** RFC 7218 acronyms of the usages that count on port 25, for reports. */
const DANE_USAGE_NAME: Readonly<Record<number, string>> = { [TLSA_USAGE.DANE_TA]: 'DANE-TA', [TLSA_USAGE.DANE_EE]: 'DANE-EE' };

export type { TlsaRecord };

export type TlsaParseResult = { ok: true; record: TlsaRecord } | { ok: false; error: string };

/**
 * Upper bound on the RDATA we accept: an RR's RDATA is at most 65535 octets (RDLENGTH is 16 bits).
 * Anything longer did not come from a DNS message.
 */
const MAX_RDATA = 65535;

/** Parses TLSA RDATA (RFC 6698 §2.1). Never throws. */
export function parseTlsaRdata(rdata: Uint8Array): TlsaParseResult {
  if (!(rdata instanceof Uint8Array)) return { ok: false, error: 'not bytes' };
  if (rdata.length > MAX_RDATA) return { ok: false, error: `RDATA longer than ${MAX_RDATA} octets` };
  if (rdata.length < 4) {
    return { ok: false, error: rdata.length < 3 ? `RDATA of ${rdata.length} octets: needs usage, selector and matching type` : 'no certificate association data' };
  }
  return {
    ok: true,
    record: {
      usage: rdata[0]!,
      selector: rdata[1]!,
      matchingType: rdata[2]!,
      data: Buffer.from(rdata.subarray(3)).toString('hex'),
    },
  };
}

export type TlsaUnusableReason =
  | 'pkix-usage' // 0 PKIX-TA / 1 PKIX-EE: not for SMTP (RFC 7672 §3.1.3)
  | 'unknown-usage'
  | 'unknown-selector'
  | 'unknown-matching-type'
  | 'bad-digest-length' // matching type 1 without 32 octets, 2 without 64
  | 'bad-full-data' // matching type 0 whose data is not one DER element (cert or SPKI)
  | 'bad-data'; // empty, odd-length or non-hex association data

export type TlsaUsability = { usable: true } | { usable: false; reason: TlsaUnusableReason };

const DIGEST_OCTETS: Readonly<Record<number, number>> = { [TLSA_MATCHING.SHA2_256]: 32, [TLSA_MATCHING.SHA2_512]: 64 };

/** Whether the record can authenticate an SMTP server on port 25 (RFC 7672 §3.1). */
export function tlsaUsability(record: TlsaRecord): TlsaUsability {
  const { usage, selector, matchingType } = record;
  if (usage === TLSA_USAGE.PKIX_TA || usage === TLSA_USAGE.PKIX_EE) return { usable: false, reason: 'pkix-usage' };
  if (usage !== TLSA_USAGE.DANE_TA && usage !== TLSA_USAGE.DANE_EE) return { usable: false, reason: 'unknown-usage' };
  if (selector !== TLSA_SELECTOR.CERT && selector !== TLSA_SELECTOR.SPKI) return { usable: false, reason: 'unknown-selector' };
  if (matchingType !== TLSA_MATCHING.FULL && matchingType !== TLSA_MATCHING.SHA2_256 && matchingType !== TLSA_MATCHING.SHA2_512) {
    return { usable: false, reason: 'unknown-matching-type' };
  }
  if (!/^(?:[0-9a-f]{2})+$/i.test(record.data)) return { usable: false, reason: 'bad-data' };
  const octets = record.data.length / 2;
  const digest = DIGEST_OCTETS[matchingType];
  if (digest !== undefined) return octets === digest ? { usable: true } : { usable: false, reason: 'bad-digest-length' };
  // Full(0): SSL_dane_tlsa_add loads the data with d2i_X509 (selector 0) or d2i_PUBKEY
  // (selector 1), needs it to span the data exactly and a certificate to have a usable key;
  // otherwise it refuses the record (SSL_R_DANE_TLSA_BAD_CERTIFICATE / _BAD_PUBLIC_KEY) and
  // Postfix logs it as an unusable TLSA RR.
  const bytes = Buffer.from(record.data, 'hex');
  const node = readNode(bytes, 0);
  if (!node || node.tag !== TAG.SEQUENCE || node.end !== bytes.length || !loads(bytes, selector)) return { usable: false, reason: 'bad-full-data' };
  return { usable: true };
}

/** Whether OpenSSL loads full association data as the selector says. */
function loads(bytes: Buffer, selector: number): boolean {
  try {
    if (selector === TLSA_SELECTOR.CERT) new X509Certificate(bytes).publicKey;
    else createPublicKey({ key: bytes, format: 'der', type: 'spki' });
    return true;
  } catch {
    return false;
  }
}

export const isUsableForSmtp = (record: TlsaRecord): boolean => tlsaUsability(record).usable;

/**
 * One TLSA record from its RDATA. Garbage RDATA still counts as a record, with no association
 * data (so unusable): the owner does publish TLSA records, which matters (RFC 7672 §2.2: TLS
 * is still required) even though such a record can authenticate nothing.
 */
export function tlsaFromRdata(rdata: Uint8Array): TlsaRecord {
  const parsed = parseTlsaRdata(rdata);
  return parsed.ok ? parsed.record : { usage: rdata[0] ?? 255, selector: rdata[1] ?? 255, matchingType: rdata[2] ?? 255, data: '' };
}

/** A record's parameters for reports, led by its usage's RFC 7218 name: `DANE-EE 3 1 1`. */
export function tlsaParams(record: Pick<TlsaRecord, 'usage' | 'selector' | 'matchingType'>): string {
  return `${DANE_USAGE_NAME[record.usage] ?? record.usage} ${record.usage} ${record.selector} ${record.matchingType}`;
}

/** Presentation form, as in a zone file: `3 1 1 ab12...` (data upper-case like dig prints it). */
export function formatTlsa(record: TlsaRecord): string {
  return `${record.usage} ${record.selector} ${record.matchingType} ${record.data.toUpperCase()}`;
}
