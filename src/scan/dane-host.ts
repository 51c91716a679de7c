// A host's TLSA lookup (I/O over the injected resolver), gated on DNSSEC as RFC 7672 §2.2 says.
import { tlsaLookupOrder } from '../dane/tlsa-name.js';
import { isUsableForSmtp } from '../dane/tlsa-record.js';
import { addressesSecure } from '../dns/dnssec.js';
import type { HostDane, MxHost, Resolver } from '../types.js';

const notApplicable = (detail: string): HostDane => ({ status: 'not-applicable', records: [], usable: 0, detail });

/** The last name of the CNAME chain followed to the host's addresses. */
export function expandedName(host: MxHost): string {
  const chain = host.a.cnames.length > 0 ? host.a.cnames : host.aaaa.cnames;
  return chain[chain.length - 1] ?? host.name;
}

/**
 * Looks up `_PORT._tcp.<host>` (the CNAME-expanded name first, then the MX name itself), but
 * only when the MX RRset and the host's address records were validated: otherwise a DANE
 * sender does not look either, and TLSA found anyway would not count.
 */
export async function lookupHostDane(
  host: MxHost,
  mxIsSecure: boolean,
  tlsa: NonNullable<Resolver['tlsa']>,
  port: number,
): Promise<HostDane> {
  if (!mxIsSecure) return notApplicable('MX RRset not DNSSEC-validated');
  if (!addressesSecure(host)) return notApplicable(`address records of ${host.name} not DNSSEC-validated`);
  let last: string | undefined;
  for (const owner of tlsaLookupOrder(host.name, { finalName: expandedName(host), secure: true }, port)) {
    last = owner;
    const answer = await tlsa(owner);
    if (answer.status === 'nodata' || answer.status === 'nxdomain') continue;
    if (answer.status !== 'ok') {
      return { status: 'failed', tlsaName: owner, records: [], usable: 0, detail: `TLSA lookup ${answer.status}${answer.detail ? `: ${answer.detail}` : ''}` };
    }
    if (!answer.authenticated) {
      return { status: 'insecure-tlsa', tlsaName: owner, records: answer.records, usable: 0, detail: 'TLSA records not DNSSEC-validated: ignored' };
    }
    return { status: 'tlsa', tlsaName: owner, records: answer.records, usable: answer.records.filter(isUsableForSmtp).length };
  }
  return { status: 'no-tlsa', ...(last ? { tlsaName: last } : {}), records: [], usable: 0 };
}
