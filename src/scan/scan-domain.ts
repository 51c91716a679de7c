import { resolveMx } from '../dns/mx.js';
import { nameMatch } from '../tls/name-match.js';
import type { Nexthop } from '../input/normalize.js';
import type { AddressProbe, AddressResult, DomainResult, HostResult, MxHost, MxResolution, Resolver } from '../types.js';
import { SCHEMA_VERSION } from '../types.js';
import type { DeclarationLookup, Declarations } from './declarations.js';
import { resolveNexthop } from './nexthop.js';
import { isUnreachableFromHere, observeAddress, observeHost } from './observe.js';

/** Probes one address for one MX host name (port: an explicit next hop's); must resolve, never reject. */
export type ProbeFn = (target: { address: string; hostname: string; port?: number }) => Promise<AddressProbe>;

export interface ScanDeps {
  resolver: Resolver;
  probe: ProbeFn;
  /** MTA-STS and TLS-RPT lookups; without it they are not made. */
  declarations?: DeclarationLookup;
}

/** What to scan: a domain (the policy key), or an explicit next hop `[host]:port`. */
export interface ScanTarget {
  domain: string;
  input?: string;
  nexthop?: Nexthop;
}

/** One domain → DomainResult: resolve MX, probe every address of every host, classify. */
export async function scanDomain(target: ScanTarget, deps: ScanDeps): Promise<DomainResult> {
  const { domain, input, nexthop } = target;
  const started = Date.now();
  // An explicit next hop is a host, not a mail domain: it publishes no policy of its own.
  const declaring = nexthop ? undefined : lookupDeclarations(domain, deps.declarations);
  const mx = await resolveSafely(() => (nexthop ? resolveNexthop(nexthop.host, deps.resolver) : resolveMx(domain, deps.resolver)));
  // A next hop's certificate is checked against its host, and `nexthop` matching uses it too.
  const reference = nexthop?.host ?? domain;
  const probe: ProbeFn = nexthop?.port ? (t) => deps.probe({ ...t, port: nexthop.port }) : deps.probe;
  const hosts = mx.status === 'ok' ? await Promise.all(mx.hosts.map((h) => scanHost(reference, h, probe))) : [];
  const status = mx.status === 'ok' ? 'scanned' : mx.status === 'dns-error' ? 'dns-error' : 'no-mail';
  const declared = await declaring;
  return {
    schema: SCHEMA_VERSION,
    domain,
    ...(input !== undefined && input !== domain ? { input } : {}),
    ...(nexthop ? { nexthop } : {}),
    status,
    mx,
    hosts,
    ...(declared ?? {}),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}

async function resolveSafely(resolve: () => Promise<MxResolution>): Promise<MxResolution> {
  try {
    return await resolve();
  } catch (err) {
    // A resolver bug must not take the batch down: it becomes a DNS error for this domain.
    const detail = err instanceof Error ? err.message : String(err);
    return { status: 'dns-error', reason: 'error', detail, mx: { status: 'error', records: [], cnames: [], authenticated: false, detail } };
  }
}

/** Like the probes, the lookups must not throw into the batch: a failure is an 'unknown'. */
async function lookupDeclarations(domain: string, lookup: DeclarationLookup | undefined): Promise<Declarations | undefined> {
  if (!lookup) return undefined;
  try {
    return await lookup(domain);
  } catch (err) {
    const reason = `lookup failed: ${err instanceof Error ? err.message : String(err)}`;
    return { mtaSts: { status: 'unknown', stage: 'dns', reason }, tlsRpt: { status: 'unknown', rua: [], reason } };
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
