// The peer's certificate chain after a handshake, as Node's getPeerCertificate(true) orders it
// (issuer order, unrelated certificates dropped, issuers from our own store appended), read in
// one of two ways: Node's detailed chain (every runtime), or the X509Certificate chain of
// getPeerX509Certificate() put into that same order here (runtimes where that is measured safe).
import { X509Certificate } from 'node:crypto';
import type tls from 'node:tls';
import type { TrustStore } from '../types.js';

/** One certificate of the chain: its DER and its SHA-256 (any stable encoding; a cache key). */
export interface PeerCertificate {
  der: Buffer;
  sha256: string;
}

/** Longest chain we follow; real ones have 2-4 certificates. */
export const MAX_CHAIN = 32;

/**
 * Whether getPeerX509Certificate() can be used. fixtures/peer-x509-check.ts measured it (same
 * server, 6,000 handshakes per method, RSS after a full collection every 1,000):
 * - Node 20.20 (OpenSSL 3.0): it empties the SSL's peer chain as it reads it (a second call and
 *   getPeerCertificate(true) afterwards see nothing) and RSS grew 10.9 KB per handshake against
 *   5.5 KB with getPeerCertificate(true): it leaks the issuers it takes out. Not usable.
 * - Node 24.22 and 26.12 (OpenSSL 3.5): the chain exactly as sent, the same on a second call,
 *   getPeerCertificate(true) unchanged afterwards, RSS 4.1 / 4.1 KB per handshake against
 *   4.2 / 4.8 KB: no leak.
 * Node 22 was not measured, so it keeps the detailed chain.
 */
export function sentChainReadable(version: string = process.versions.node): boolean {
  return Number(version.split('.')[0]) >= 24;
}

/** Node's detailed chain: follows issuerCertificate links, stops at a repeat or a self-link. */
export function detailedChain(first: tls.DetailedPeerCertificate | undefined): PeerCertificate[] {
  const out: PeerCertificate[] = [];
  const seen = new Set<string>();
  for (let cert = first; cert && Buffer.isBuffer(cert.raw) && out.length < MAX_CHAIN; ) {
    if (seen.has(cert.fingerprint256)) break;
    seen.add(cert.fingerprint256);
    out.push({ der: cert.raw, sha256: cert.fingerprint256 });
    const next: tls.DetailedPeerCertificate | undefined = cert.issuerCertificate;
    if (!next || next === cert) break;
    cert = next;
  }
  return out;
}

/** A store certificate with its validity period, as milliseconds. */
interface StoreEntry {
  cert: X509Certificate;
  notBefore: number;
  notAfter: number;
}

/** The store's certificates by subject name, parsed once per TrustStore object. */
const parsedStores = new WeakMap<TrustStore, Map<string, StoreEntry[]>>();

function storeBySubject(trust: TrustStore): Map<string, StoreEntry[]> {
  let bySubject = parsedStores.get(trust);
  if (!bySubject) {
    bySubject = new Map();
    for (const pem of trust.ca) {
      const cert = new X509Certificate(pem);
      const entry = { cert, notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo) };
      const list = bySubject.get(cert.subject);
      if (list) list.push(entry);
      else bySubject.set(cert.subject, [entry]);
    }
    parsedStores.set(trust, bySubject);
  }
  return bySubject;
}

/**
 * The store certificate OpenSSL's SSL_CTX_get_issuer (X509_STORE_CTX_get1_issuer) picks for
 * `cert`: one named as its issuer that issued it (X509_check_issued, as checkIssued does) and is
 * valid now, else the one that expires last. Among several valid ones OpenSSL takes the first in
 * its store's order, which for equal subject names is not defined; we take the bundle's first.
 */
function storeIssuer(cert: X509Certificate, store: Map<string, StoreEntry[]>, now: number): X509Certificate | undefined {
  let fallback: StoreEntry | undefined;
  for (const entry of store.get(cert.issuer) ?? []) {
    if (!cert.checkIssued(entry.cert)) continue;
    if (entry.notBefore <= now && now <= entry.notAfter) return entry.cert;
    if (!fallback || entry.notAfter > fallback.notAfter) fallback = entry;
  }
  return fallback?.cert;
}

/**
 * The chain getPeerX509Certificate() gives (the certificates as sent, leaf first) in the order
 * Node's getPeerCertificate(true) builds (node/src/crypto/crypto_common.cc, GetPeerCert):
 * from the leaf, repeatedly the first remaining sent certificate that issued the current one;
 * then, while the last is not self-issued, its issuer from the store the handshake verified
 * against (`trust`, the secure context's only CAs). Unrelated sent certificates are left out.
 */
export function sentChainInNodeOrder(leaf: X509Certificate | undefined, trust: TrustStore, now: number = Date.now()): PeerCertificate[] {
  if (!leaf) return [];
  const sent: X509Certificate[] = [];
  for (let c = leaf.issuerCertificate, last = leaf; c && c !== last && sent.length < MAX_CHAIN; last = c, c = c.issuerCertificate) sent.push(c);
  const ordered = [leaf];
  let current = leaf;
  for (;;) {
    const i = sent.findIndex((ca) => current.checkIssued(ca));
    if (i === -1) break;
    current = sent.splice(i, 1)[0]!;
    ordered.push(current);
  }
  const store = storeBySubject(trust);
  while (ordered.length < MAX_CHAIN && !current.checkIssued(current)) {
    const ca = storeIssuer(current, store, now);
    if (!ca) break;
    ordered.push(ca);
    current = ca;
  }
  const out: PeerCertificate[] = [];
  const seen = new Set<string>();
  for (const cert of ordered.slice(0, MAX_CHAIN)) {
    const sha256 = cert.fingerprint256;
    if (seen.has(sha256)) break;
    seen.add(sha256);
    out.push({ der: cert.raw, sha256 });
  }
  return out;
}
