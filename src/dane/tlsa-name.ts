// TLSA owner names for SMTP (pure).
//
// RFC 6698 §3: the TLSA RRset of a TLS service lives at `_<port>._<protocol>.<base domain>`;
// for SMTP to an MX host that is `_25._tcp.<mx host>` (RFC 7672 §2.2.2).
//
// RFC 7672 §2.2.2, the TLSA base domain, when the MX host name is an alias (CNAME):
// - DANE applies only when the MX RRset and the host's address records (A/AAAA, CNAMEs included)
//   are DNSSEC-validated ("secure"). An insecure MX RRset or insecure address records: no TLSA
//   lookup at all, the host is not a DANE host.
// - The caller follows the CNAME chain while resolving the addresses. When the whole expansion
//   is secure, the TLSA lookup is done first at the fully expanded name; if no TLSA records are
//   found there (a secure NODATA/NXDOMAIN), it is done at the original MX host name. When the
//   expansion was not secure, only the original name is used.
// - The TLSA base domain is the name whose TLSA records were used. With DANE-TA(2) the leaf's
//   names are checked against it and against the original MX host name (RFC 7672 §3.2.2).
//   Whether Postfix accepts further names (the next-hop domain) at level `dane` is not settled
//   here: accepting fewer names is the strict side (at worst a weaker recommendation).
// - TLSA records from an insecure zone, or a TLSA lookup that is insecure while the address
//   records were secure, do not count: treat as no TLSA. A bogus (SERVFAIL) TLSA lookup is a
//   DNS failure: the sender defers, so the host is not observed as DANE-capable or not.
import { normaliseName } from '../name/dns-name.js';

/** `_PORT._tcp.<host>` for the host (lower case, no trailing dot). */
export function tlsaOwnerName(host: string, port: number = 25, protocol: 'tcp' | 'udp' | 'sctp' = 'tcp'): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`tlsaOwnerName: bad port ${port}`);
  const name = normaliseName(host.trim());
  if (name === '' || name.startsWith('.') || name.includes('..')) throw new RangeError(`tlsaOwnerName: bad host name ${JSON.stringify(host)}`);
  return `_${port}._${protocol}.${name}`;
}

/** How the caller resolved the MX host's addresses. */
export interface AddressExpansion {
  /** The last name of the CNAME chain (the MX host name itself when there was no CNAME). */
  finalName: string;
  /** Whether every step (CNAMEs and the A/AAAA RRsets) was DNSSEC-validated. */
  secure: boolean;
}

/**
 * TLSA owner names to try, in order: the expanded name first (when the expansion was secure and
 * differs), then the MX host name. The caller stops at the first name with TLSA records; that
 * name minus `_PORT._tcp.` is the TLSA base domain.
 */
export function tlsaLookupOrder(mxHost: string, expansion: AddressExpansion | undefined, port: number = 25): string[] {
  const original = tlsaOwnerName(mxHost, port);
  if (!expansion || !expansion.secure) return [original];
  const expanded = tlsaOwnerName(expansion.finalName, port);
  return expanded === original ? [original] : [expanded, original];
}

/**
 * DANE-TA reference names for the leaf's name check (RFC 7672 §3.2.2). Postfix's list
 * (smtp_tls_policy.c, "With DANE trust anchors, peername matching is not configurable"): the
 * TLSA base domain, the CNAME-expanded MX host name and the MX host name as queried.
 */
export function daneReferenceNames(tlsaBaseDomain: string, mxHost: string, expandedMxHost: string = mxHost): string[] {
  const names = [normaliseName(tlsaBaseDomain), normaliseName(expandedMxHost), normaliseName(mxHost)];
  return names.filter((n, i) => names.indexOf(n) === i);
}
