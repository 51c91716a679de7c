import { createHash } from 'node:crypto';
import type { CertificateSummary } from '../types.js';
import { summarizeCertificate } from './certificate.js';

const MAX_ENTRIES = 2000;

/**
 * summarizeCertificate, remembered by the certificate's SHA-256: providers serve one chain from
 * many MX addresses, and parsing a certificate (X509Certificate, key details) measured as
 * about a seventh of a probe's CPU time. Summaries are plain data, shared read-only.
 * A summary carries its certificate's DER (base64, for DANE matching); the key is the hash of
 * that DER, so a hit always carries the right bytes (at most MAX_ENTRIES certificates held).
 * One per run (scanner.ts createScanDeps), so two runs in one process share nothing.
 */
export class SummaryCache {
  private readonly cache = new Map<string, CertificateSummary>();

  /**
   * `sha256` may pass that hash in any stable encoding when the caller has it already (Node's
   * peer certificates carry it as `fingerprint256`), saving a hash per certificate per probe.
   */
  summarize(der: Buffer, sha256?: string): CertificateSummary {
    const key = sha256 || createHash('sha256').update(der).digest('base64');
    const hit = this.cache.get(key);
    if (hit) return hit;
    const summary = summarizeCertificate(der);
    this.cache.set(key, summary);
    if (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return summary;
  }
}
