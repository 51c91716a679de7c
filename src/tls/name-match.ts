// Certificate name matching as Postfix's SMTP client does it (pure).
//
// Postfix (tls_client.c match_servername, tls_misc.c tls_dns_name/tls_text_name):
// - DNS subjectAltNames are used when the certificate has any dNSName entry (even a malformed
//   one); only otherwise the subject CommonName (the first CN) is used.
// - A name with a NUL or another non-printable byte is rejected, and so is a non-ASCII one.
// - Comparison is case-insensitive. A certificate name "*.rest" matches a reference name whose
//   first label is replaced by "*"; there are no partial-label wildcards ("f*.example.com" is
//   compared literally and so never matches a real host name).
// - "hostname" and "nexthop" compare the certificate name to the MX host name or to the
//   next-hop domain. "dot-nexthop" is a *sub-domain* match: a certificate name counts when it
//   ends in "." + next-hop domain and is longer than that (so "mx1.example.com" or even
//   "*.example.com", taken literally, satisfies dot-nexthop for "example.com"; "example.com"
//   itself does not). It does not involve the MX host name at all.
//
// Deliberate differences, all on the strict side: mxtls may call a name a mismatch where Postfix
// would accept it, never the reverse, so at worst it recommends a weaker level, never a line
// that defers mail:
// - "*" matches exactly one label. Postfix's tls_wildcard_matches_multiple_labels defaults to
//   yes, so Postfix also accepts "*.example.net" for "a.b.example.net"; we do not.
// - Postfix trims trailing NUL bytes of a name before its NUL check; we reject any NUL.
// - A single trailing dot is ignored on both sides (absolute vs relative DNS form).
import type { CertificateSummary, NameMatch } from '../types.js';

type Leaf = Pick<CertificateSummary, 'dnsNames' | 'subjectCN'>;

/** Printable ASCII only: no NUL, no control bytes, no DEL, nothing outside ASCII. */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

function normalize(name: string): string | undefined {
  if (!PRINTABLE_ASCII.test(name)) return undefined;
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  // toLowerCase on pure ASCII changes A-Z only, which is what strcasecmp does.
  return bare.length > 0 ? bare.toLowerCase() : undefined;
}

/** The certificate names Postfix would check, well-formed ones only, as they appear. */
export function certificateNames(leaf: Leaf): string[] {
  const source = leaf.dnsNames.length > 0 ? leaf.dnsNames : leaf.subjectCN.slice(0, 1);
  return source.filter((name) => normalize(name) !== undefined);
}

/** Exact or single-label wildcard match of one normalized certificate name. */
function matchesReference(certName: string, reference: string): boolean {
  if (certName === reference) return true;
  if (!certName.startsWith('*.') || certName.length < 3) return false;
  const dot = reference.indexOf('.');
  // The wildcard must stand for a non-empty first label of the reference name.
  return dot > 0 && reference.slice(dot) === certName.slice(1);
}

/** A certificate name strictly below `domain` (Postfix's sub-domain match). */
function isSubdomainName(certName: string, domain: string): boolean {
  return certName.length > domain.length + 1 && certName.endsWith('.' + domain);
}

function findName(leaf: Leaf, reference: string, test: (cert: string, ref: string) => boolean): string | undefined {
  const ref = normalize(reference);
  if (ref === undefined) return undefined;
  return certificateNames(leaf).find((name) => test(normalize(name)!, ref));
}

/** The certificate name that matches `name` (exactly or by wildcard), if any. */
export function matchName(leaf: Leaf, name: string): string | undefined {
  return findName(leaf, name, matchesReference);
}

/** How the leaf fares under Postfix's `hostname`, `nexthop` and `dot-nexthop` strategies. */
export function nameMatch(leaf: Leaf, mxHost: string, nexthopDomain: string): NameMatch {
  const matchedBy = matchName(leaf, mxHost);
  const result: NameMatch = {
    hostname: matchedBy !== undefined,
    nexthop: matchName(leaf, nexthopDomain) !== undefined,
    dotNexthop: findName(leaf, nexthopDomain, isSubdomainName) !== undefined,
  };
  if (matchedBy !== undefined) result.matchedBy = matchedBy;
  return result;
}
