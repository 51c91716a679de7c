// Where mail for a domain goes (RFC 5321 §5.1, RFC 7505), as data. Pure logic over the
// injected Resolver, so the rules are tested without sockets.
import type { DnsAnswer, DnsStatus, MxHost, MxRecord, MxResolution, Resolver } from '../types.js';
import { normaliseName } from '../name/dns-name.js';

/** Statuses that say the name has no such data, as opposed to "could not find out". */
const ABSENT: ReadonlySet<DnsStatus> = new Set(['nodata', 'nxdomain']);

async function withAddresses(name: string, preference: number, resolver: Resolver): Promise<MxHost> {
  // Kept even when both lookups fail: the scanner reports a host it could not reach.
  const [a, aaaa] = await Promise.all([resolver.a(name), resolver.aaaa(name)]);
  return { name, preference, a, aaaa };
}

/** Preference order, ties by name so output is stable; each host once, at its best preference. */
function orderedHosts(records: MxRecord[]): MxRecord[] {
  const sorted = records
    .map((r) => ({ preference: r.preference, exchange: normaliseName(r.exchange) }))
    .sort((x, y) => x.preference - y.preference || (x.exchange < y.exchange ? -1 : x.exchange > y.exchange ? 1 : 0));
  const seen = new Set<string>();
  return sorted.filter((r) => {
    if (seen.has(r.exchange)) return false;
    seen.add(r.exchange);
    return true;
  });
}

/** RFC 5321 §5.1: with no MX RRset the domain itself is the mail host, if it has an address. */
async function implicitMx(domain: string, mx: DnsAnswer<MxRecord>, resolver: Resolver): Promise<MxResolution> {
  const host = await withAddresses(domain, 0, resolver);
  if (host.a.status === 'ok' || host.aaaa.status === 'ok') return { status: 'ok', implicit: true, hosts: [host], mx };
  if (ABSENT.has(host.a.status) && ABSENT.has(host.aaaa.status)) return { status: 'no-mail-host', mx };
  const failed = ABSENT.has(host.a.status) ? host.aaaa : host.a;
  return { status: 'dns-error', mx, reason: failed.status, detail: failed.detail };
}

export async function resolveMx(domain: string, resolver: Resolver): Promise<MxResolution> {
  const name = normaliseName(domain);
  const mx = await resolver.mx(name);
  switch (mx.status) {
    case 'ok': {
      // RFC 7505: a null MX must be the only MX. Mixed with real ones the domain is
      // misconfigured; its owner still said "no mail" explicitly, and guessing which records
      // were meant would be worse, so it is reported as a null MX.
      if (mx.records.some((r) => normaliseName(r.exchange) === '')) return { status: 'null-mx', mx };
      const hosts = await Promise.all(orderedHosts(mx.records).map((r) => withAddresses(r.exchange, r.preference, resolver)));
      return { status: 'ok', implicit: false, hosts, mx };
    }
    case 'nodata':
      return implicitMx(name, mx, resolver);
    case 'nxdomain':
      return { status: 'nxdomain', mx };
    default:
      return { status: 'dns-error', mx, reason: mx.status, detail: mx.detail };
  }
}
