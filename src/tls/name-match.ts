// Certificate name checks as Postfix makes them: by asking OpenSSL.
//
// Postfix 3.6 and later no longer matches names itself. add_namechecks() in tls_client.c sets
// SSL_set_hostflags(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS) and hands each reference name to
// SSL_add1_host(); OpenSSL's X509_check_host then decides during the handshake:
// - "hostname" is the MX host name, "nexthop" the next-hop domain; "dot-nexthop" and any match
//   pattern written ".example.com" are added with a leading dot, which OpenSSL reads as "any
//   name strictly below example.com" (at any depth: no X509_CHECK_FLAG_SINGLE_LABEL_SUBDOMAINS);
// - DNS subjectAltNames are used when there is at least one; only otherwise every subject CN;
// - "*" stands for exactly one whole left-most label over at least two more labels (no
//   "f*.example.com", no "*.com"; X509_CHECK_FLAG_MULTI_LABEL_WILDCARDS is not set);
// - a certificate name with a trailing dot, NUL or other odd bytes matches nothing.
// Node exposes the same function as X509Certificate#checkHost, so we pass the same flags and
// the same names and keep no matcher of our own. The only thing we add is our own spelling of
// reference names: mxtls keeps names without a trailing dot (name/dns-name.ts), as Postfix gets them
// from DNS, so a dot-terminated reference never reaches OpenSSL.
import { X509Certificate } from 'node:crypto';
import { normaliseName } from '../name/dns-name.js';
import type { CertificateSummary, NameMatch } from '../types.js';

/** The flags Postfix sets (tls_client.c add_namechecks), in Node's option form. */
const POSTFIX_HOST_FLAGS = { subject: 'default', wildcards: true, partialWildcards: false, multiLabelWildcards: false, singleLabelSubdomains: false } as const;

/** Printable ASCII without space: what can reach OpenSSL as a reference name at all. */
const HOST_BYTES = /^[\x21-\x7e]+$/;

/** One parsed certificate per summary: summaries are shared between the domains of a run. */
const parsed = new WeakMap<CertificateSummary, X509Certificate | null>();

function certificateOf(leaf: CertificateSummary): X509Certificate | undefined {
  let cert = parsed.get(leaf);
  if (cert === undefined) {
    cert = null;
    if (typeof leaf.der === 'string' && leaf.der.length > 0) {
      try {
        cert = new X509Certificate(Buffer.from(leaf.der, 'base64'));
      } catch {
        // Not parseable by OpenSSL: Postfix could not have completed the handshake either.
      }
    }
    parsed.set(leaf, cert);
  }
  return cert ?? undefined;
}

/**
 * The certificate name OpenSSL matches against `reference` ("mx.example.com", or ".example.com"
 * for any name below example.com), or undefined. A summary without its DER (a hand-built result,
 * a report from before DER was kept) cannot be asked and matches nothing: the strict side.
 */
export function matchName(leaf: CertificateSummary, reference: string): string | undefined {
  const cert = certificateOf(leaf);
  const name = normaliseName(reference);
  // Postfix's resolver drops names that fail valid_hostname() (dns_lookup.c), so a reference
  // with a control or non-ASCII byte never reaches OpenSSL, which would forgive a trailing NUL.
  if (!cert || !HOST_BYTES.test(name) || name === '.') return undefined;
  try {
    return cert.checkHost(name, POSTFIX_HOST_FLAGS);
  } catch {
    // Node refuses names OpenSSL would call invalid (embedded NUL): no match, as in Postfix.
    return undefined;
  }
}

/** How the leaf fares under Postfix's `hostname`, `nexthop` and `dot-nexthop` strategies. */
export function nameMatch(leaf: CertificateSummary, mxHost: string, nexthopDomain: string): NameMatch {
  const matchedBy = matchName(leaf, mxHost);
  const result: NameMatch = {
    hostname: matchedBy !== undefined,
    nexthop: matchName(leaf, nexthopDomain) !== undefined,
    dotNexthop: matchName(leaf, `.${normaliseName(nexthopDomain)}`) !== undefined,
  };
  if (matchedBy !== undefined) result.matchedBy = matchedBy;
  return result;
}
