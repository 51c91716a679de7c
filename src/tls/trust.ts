// Trust: which CA certificates a scan trusts (I/O, loadTrustStore) and what OpenSSL's verdict
// on a peer chain means for a Postfix policy (pure, trustVerdict).
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { CertificateSummary, TrustResult, TrustStore, TrustVerdict } from '../types.js';

/** Debian/Ubuntu's bundle, which is what Postfix's smtp_tls_CAfile usually points to. */
export const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** Bigger files are not CA bundles; skipping them keeps a wrong --ca-path from eating memory. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/**
 * Every "BEGIN CERTIFICATE" block of a PEM text, re-wrapped canonically. Blocks that do not
 * parse as X.509 are dropped: one bad entry must not make Node refuse the whole store.
 * ("TRUSTED CERTIFICATE" blocks, OpenSSL's own format, are not understood by Node and skipped.)
 */
export function splitPem(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const body = (match[1] ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) continue;
    const pem = `-----BEGIN CERTIFICATE-----\n${body.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
    try {
      new X509Certificate(pem);
      out.push(pem);
    } catch {
      // not a certificate after all
    }
  }
  return out;
}

function readPemFile(path: string): string[] {
  const size = statSync(path).size;
  if (size > MAX_FILE_BYTES) return [];
  return splitPem(readFileSync(path, 'latin1'));
}

/** Names OpenSSL's CApath lookup uses (subject hash + ".N"), plus the usual PEM suffixes. */
const CAPATH_FILE = /(\.pem|\.crt|^[0-9a-f]{8}\.\d+)$/i;

function readCaPath(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!CAPATH_FILE.test(name)) continue;
    const path = join(dir, name);
    try {
      // statSync follows symlinks: hashed names are usually links to the .pem next to them.
      if (!statSync(path).isFile()) continue;
      out.push(...readPemFile(path));
    } catch {
      // a dangling link or an unreadable file: OpenSSL would skip it too
    }
  }
  return out;
}

function dedupe(pems: string[]): string[] {
  return [...new Set(pems)];
}

const plural = (n: number): string => `${n} certificate${n === 1 ? '' : 's'}`;

export interface TrustStoreOptions {
  caFile?: string;
  caPath?: string;
}

/**
 * The CA certificates to verify peers against. With caFile and/or caPath, only those are used
 * (like Postfix with tls_append_default_CA = no); otherwise the system bundle, or Node's
 * built-in Mozilla roots where there is none. Throws when an explicitly given source cannot
 * be read or holds no certificate: silently trusting nothing would mark every server untrusted.
 */
export function loadTrustStore(opts: TrustStoreOptions, systemBundle: string = SYSTEM_BUNDLE): TrustStore {
  if (opts.caFile !== undefined || opts.caPath !== undefined) {
    const ca: string[] = [];
    const sources: string[] = [];
    if (opts.caFile !== undefined) {
      const certs = readPemFile(opts.caFile);
      if (certs.length === 0) throw new Error(`CA file ${opts.caFile} holds no PEM certificate`);
      ca.push(...certs);
      sources.push(`CA file ${opts.caFile} (${plural(certs.length)})`);
    }
    if (opts.caPath !== undefined) {
      const certs = readCaPath(opts.caPath);
      if (certs.length === 0) throw new Error(`CA path ${opts.caPath} holds no PEM certificate`);
      ca.push(...certs);
      sources.push(`CA path ${opts.caPath} (${plural(certs.length)})`);
    }
    return { ca: dedupe(ca), source: sources.join(' + ') };
  }
  if (existsSync(systemBundle)) {
    const certs = dedupe(readPemFile(systemBundle));
    if (certs.length > 0) return { ca: certs, source: `system bundle ${systemBundle} (${plural(certs.length)})` };
  }
  return { ca: [...rootCertificates], source: `Node's built-in root certificates (${plural(rootCertificates.length)})` };
}

// ─── Verdicts ────────────────────────────────────────────────────────────────────────────

/** Stands for "missing issuer": decided by what the server sent, see below. */
type MissingIssuer = 'missing-issuer';

/** OpenSSL verification codes (as Node names them) → verdict. Anything else: 'other'. */
const VERDICTS: ReadonlyMap<string, TrustVerdict | MissingIssuer> = new Map<string, TrustVerdict | MissingIssuer>([
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed'],
  // The server sent a root (self-signed) that is not in our store.
  ['SELF_SIGNED_CERT_IN_CHAIN', 'unknown-issuer'],
  ['CERT_UNTRUSTED', 'unknown-issuer'],
  ['CERT_HAS_EXPIRED', 'expired'],
  ['CERT_NOT_YET_VALID', 'not-yet-valid'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'missing-issuer'],
  ['UNABLE_TO_GET_ISSUER_CERT', 'missing-issuer'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'missing-issuer'],
  ['CERT_SIGNATURE_FAILURE', 'bad-signature'],
  ['UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'bad-signature'],
]);

/**
 * What a chain verification result means. `authorizationError` is Node's
 * `tlsSocket.authorizationError` (null/undefined/'' when the chain verified).
 *
 * A missing issuer is the classic "forgot the intermediate" mistake when the server sent a
 * lone leaf that is not self-issued: 'incomplete-chain' (fixable by the server's admin, and
 * what a browser with cached intermediates would hide). Otherwise the chain leads to a CA we do
 * not trust: 'unknown-issuer'.
 */
export function trustVerdict(authorizationError: string | null | undefined, chain: CertificateSummary[]): TrustResult {
  if (!authorizationError) return { trusted: true, verdict: 'trusted' };
  const mapped = VERDICTS.get(authorizationError) ?? 'other';
  let verdict: TrustVerdict;
  if (mapped === 'missing-issuer') {
    const onlyLeaf = chain.length === 1 && chain[0] !== undefined && !chain[0].selfIssued;
    verdict = onlyLeaf ? 'incomplete-chain' : 'unknown-issuer';
  } else {
    verdict = mapped;
  }
  return { trusted: false, verdict, code: authorizationError };
}
