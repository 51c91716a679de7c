import { domainDnssec, mxSecure } from '../dns/dnssec.js';
import { resolveMx } from '../dns/mx.js';
import { nameMatch } from '../tls/name-match.js';
import type { Nexthop } from '../input/normalize.js';
import type { AddressProbe, AddressResult, DomainResult, HostDane, HostResult, MxHost, MxResolution, Resolver } from '../types.js';
import { SCHEMA_VERSION } from '../types.js';
import { judgeAddressDane } from './dane-address.js';
import { expandedName, lookupHostDane } from './dane-host.js';
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
  const ctx: HostContext = { domain: reference, probe, dane: daneLookup(deps.resolver, mx, nexthop?.port ?? SMTP_PORT) };
  const hosts = mx.status === 'ok' ? await Promise.all(mx.hosts.map((h) => scanHost(h, ctx))) : [];
  const status = mx.status === 'ok' ? 'scanned' : mx.status === 'dns-error' ? 'dns-error' : 'no-mail';
  const declared = await declaring;
  return {
    schema: SCHEMA_VERSION,
    domain,
    ...(input !== undefined && input !== domain ? { input } : {}),
    ...(nexthop ? { nexthop } : {}),
    status,
    mx,
    dnssec: domainDnssec(mx),
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

/** RFC 7672 §2.2.2: the TLSA owner of an MX host uses the SMTP port. */
const SMTP_PORT = 25;

/** What every host of one domain is scanned with. */
interface HostContext {
  /** The reference name for name checks: the domain, or an explicit next hop's host. */
  domain: string;
  probe: ProbeFn;
  /** A host's DANE standing; undefined when the resolver cannot ask for TLSA. */
  dane?: (host: MxHost) => Promise<HostDane>;
}

function daneLookup(resolver: Resolver, mx: MxResolution, port: number): HostContext['dane'] {
  const tlsa = resolver.tlsa?.bind(resolver);
  if (!tlsa) return undefined;
  const secure = mxSecure(mx);
  return async (host) => {
    try {
      return await lookupHostDane(host, secure, tlsa, port);
    } catch (err) {
      return { status: 'failed', records: [], usable: 0, detail: `TLSA lookup failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  };
}

async function scanHost(host: MxHost, ctx: HostContext): Promise<HostResult> {
  const addresses = [...host.a.records, ...host.aaaa.records];
  // The TLSA lookup runs while the probes do: it needs only the DNS answers already in hand.
  const [results, dane] = await Promise.all([
    Promise.all(addresses.map((address) => scanAddress(ctx.domain, host.name, address, ctx.probe))),
    ctx.dane?.(host),
  ]);
  const counted = results.filter((r) => !isUnreachableFromHere(r.probe));
  if (dane?.status === 'tlsa' && dane.usable > 0) {
    const now = new Date();
    const names = { name: host.name, expandedName: expandedName(host) };
    for (const r of counted) if (r.observation !== 'not-observed') r.dane = judgeAddressDane(r.probe, names, dane, now);
  }
  return {
    name: host.name,
    preference: host.preference,
    addressLookup: addressLookup(host),
    addresses: results,
    observation: observeHost(counted.map((r) => r.observation)),
    ...(dane ? { dane } : {}),
  };
}

async function scanAddress(domain: string, hostname: string, address: string, probe: ProbeFn): Promise<AddressResult> {
  const p = await probe({ address, hostname });
  const leaf = p.tls?.chain[0];
  const names = leaf ? nameMatch(leaf, hostname, domain) : undefined;
  return { probe: p, observation: observeAddress(p, names), ...(names ? { names } : {}) };
}
