import { resolveMx } from '../dns/mx.js';
import { nameMatch } from '../tls/name-match.js';
import type { AddressProbe, AddressResult, DomainResult, HostResult, MxHost, MxResolution, Resolver } from '../types.js';
import { SCHEMA_VERSION } from '../types.js';
import { isUnreachableFromHere, observeAddress, observeHost } from './observe.js';

/** Probes one address for one MX host name; must resolve, never reject. */
export type ProbeFn = (target: { address: string; hostname: string }) => Promise<AddressProbe>;

export interface ScanDeps {
  resolver: Resolver;
  probe: ProbeFn;
}

/** One domain → DomainResult: resolve MX, probe every address of every host, classify. */
export async function scanDomain(domain: string, deps: ScanDeps, input?: string): Promise<DomainResult> {
  const started = Date.now();
  const mx = await resolveMxSafely(domain, deps.resolver);
  const hosts = mx.status === 'ok' ? await Promise.all(mx.hosts.map((h) => scanHost(domain, h, deps.probe))) : [];
  const status = mx.status === 'ok' ? 'scanned' : mx.status === 'dns-error' ? 'dns-error' : 'no-mail';
  return {
    schema: SCHEMA_VERSION,
    domain,
    ...(input !== undefined && input !== domain ? { input } : {}),
    status,
    mx,
    hosts,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}

async function resolveMxSafely(domain: string, resolver: Resolver): Promise<MxResolution> {
  try {
    return await resolveMx(domain, resolver);
  } catch (err) {
    // A resolver bug must not take the batch down: it becomes a DNS error for this domain.
    const detail = err instanceof Error ? err.message : String(err);
    return { status: 'dns-error', reason: 'error', detail, mx: { status: 'error', records: [], cnames: [], authenticated: false, detail } };
  }
}

function addressLookup(host: MxHost): HostResult['addressLookup'] {
  const answers = [host.a, host.aaaa];
  if (answers.some((a) => a.status === 'ok' && a.records.length > 0)) return 'ok';
  if (answers.every((a) => a.status === 'nodata' || a.status === 'nxdomain')) return 'no-address';
  return 'failed';
}

async function scanHost(domain: string, host: MxHost, probe: ProbeFn): Promise<HostResult> {
  const addresses = [...host.a.records, ...host.aaaa.records];
  const results = await Promise.all(addresses.map((address) => scanAddress(domain, host.name, address, probe)));
  const counted = results.filter((r) => !isUnreachableFromHere(r.probe)).map((r) => r.observation);
  return {
    name: host.name,
    preference: host.preference,
    addressLookup: addressLookup(host),
    addresses: results,
    observation: observeHost(counted),
  };
}

async function scanAddress(domain: string, hostname: string, address: string, probe: ProbeFn): Promise<AddressResult> {
  const p = await probe({ address, hostname });
  const leaf = p.tls?.chain[0];
  const names = leaf ? nameMatch(leaf, hostname, domain) : undefined;
  return { probe: p, observation: observeAddress(p, names), ...(names ? { names } : {}) };
}
