import { isIPv4 } from 'node:net';
import type { DnsAnswer, MxResolution, Resolver } from '../types.js';

const none = <T>(status: DnsAnswer<T>['status']): DnsAnswer<T> => ({ status, records: [], cnames: [], authenticated: false });

/**
 * An explicit next hop (`[host]` or `[host]:port`) skips the MX lookup, as Postfix does: the
 * host itself is the only "MX", at its A/AAAA addresses, or at the literal IPv4 address.
 */
export async function resolveNexthop(host: string, resolver: Resolver): Promise<MxResolution> {
  const placeholder = none<never>('nodata');
  if (isIPv4(host)) {
    const a: DnsAnswer<string> = { ...none<string>('ok'), records: [host] };
    return { status: 'ok', implicit: false, explicit: true, mx: placeholder, hosts: [{ name: host, preference: 0, a, aaaa: none('nodata') }] };
  }
  const [a, aaaa] = await Promise.all([resolver.a(host), resolver.aaaa(host)]);
  if (a.status === 'nxdomain' && aaaa.status === 'nxdomain') return { status: 'nxdomain', mx: { ...placeholder, status: 'nxdomain' } };
  const failed = [a, aaaa].find((x) => x.status !== 'ok' && x.status !== 'nodata' && x.status !== 'nxdomain');
  if (failed && a.records.length === 0 && aaaa.records.length === 0) {
    return { status: 'dns-error', reason: failed.status, mx: { ...placeholder, status: failed.status }, ...(failed.detail ? { detail: failed.detail } : {}) };
  }
  return { status: 'ok', implicit: false, explicit: true, mx: placeholder, hosts: [{ name: host, preference: 0, a, aaaa }] };
}
