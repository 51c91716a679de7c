// Certificate summaries of real certificates with chosen DNS names, for tests that need name
// checks: names are decided by OpenSSL on the DER, so a hand-built summary would match nothing.
import { createCa, createLeaf, type IssuedCert } from '../../fixtures/certs.js';
import { summarizeCertificate } from '../../src/tls/certificate.js';
import type { CertificateSummary } from '../../src/types.js';

let ca: Promise<IssuedCert> | undefined;

/** A CA-issued leaf with these subjectAltName DNS names, summarized as a probe would. */
export async function leafSummary(dnsNames: string[]): Promise<CertificateSummary> {
  ca ??= createCa({ name: 'mxtls Test Names CA' });
  return summarizeCertificate((await createLeaf(await ca, { dnsNames })).der);
}
