import { domainDnssec, mxSecure } from '../dns/dnssec.js';
import { resolveMx } from '../dns/mx.js';
import { nameMatch } from '../tls/name-match.js';
import type { Nexthop } from '../name/nexthop.js';
import type { AddressProbe, AddressResult, DomainResult, HostDane, HostResult, MxHost, MxResolution, Resolver } from '../types.js';
import { SCHEMA_VERSION } from '../types.js';
import { judgeAddressDane, needsSentChain } from '../dane/address-verdict.js';
import { expandedName, lookupHostDane } from './dane-host.js';
import type { DeclarationLookup } from './declarations.js';
import { internalErrorOf, internalErrorResult, probeInternalError } from './internal-error.js';
import { resolveNexthop } from './nexthop.js';
import { isUnreachableFromHere } from '../probe/failure-codes.js';
import { observeAddress, observeHost } from './observe.js';

/**
 * Probes one address for one MX host name (port: an explicit next hop's; sentChain: only to see
 * the certificates the server sends, see ProbeTarget); must resolve, never reject.
 */
export type ProbeFn = (target: { address: string; hostname: string; port?: number; sentChain?: boolean }) => Promise<AddressProbe>;

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

/**
 * One domain → DomainResult: resolve MX, probe every address of every host, classify. Never
 * rejects: the resolver and the probes report the network's failures as data, so anything
 * thrown here is a bug in mxtls and becomes an 'internal-error' result.
 */
export async function scanDomain(target: ScanTarget, deps: ScanDeps): Promise<DomainResult> {
  const started = Date.now();
  const partial: { mx?: MxResolution; hosts?: HostResult[] } = {};
  try {
    const result = await scanDomainOrThrow(target, deps, started, partial);
    const bug = probeInternalError(result.hosts);
    return bug ? internalErrorResult(target, bug, started, { mx: result.mx, hosts: result.hosts }) : result;
  } catch (err) {
    return internalErrorResult(target, internalErrorOf(err), started, partial);
  }
}

async function scanDomainOrThrow(
  target: ScanTarget,
  deps: ScanDeps,
  started: number,
  partial: { mx?: MxResolution; hosts?: HostResult[] },
): Promise<DomainResult> {
  const { domain, input, nexthop } = target;
  // An explicit next hop is a host, not a mail domain: it publishes no policy of its own. The
  // lookup runs beside the MX lookup; settled() keeps its failure until it is awaited below.
  const declaring = nexthop || !deps.declarations ? undefined : settled(deps.declarations(domain));
  const mx = await (nexthop ? resolveNexthop(nexthop.host, deps.resolver) : resolveMx(domain, deps.resolver));
  partial.mx = mx;
  // A next hop's certificate is checked against its host, and `nexthop` matching uses it too.
  const reference = nexthop?.host ?? domain;
  const probe: ProbeFn = nexthop?.port ? (t) => deps.probe({ ...t, port: nexthop.port }) : deps.probe;
  const ctx: HostContext = { domain: reference, probe, dane: daneLookup(deps.resolver, mx, nexthop?.port ?? SMTP_PORT) };
  const hosts = mx.status === 'ok' ? await Promise.all(mx.hosts.map((h) => scanHost(h, ctx))) : [];
  partial.hosts = hosts;
  const status = mx.status === 'ok' ? 'scanned' : mx.status === 'dns-error' ? 'dns-error' : 'no-mail';
  const declared = declaring ? unwrap(await declaring) : undefined;
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

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that always fulfils, so a failure waits to be rethrown where it is awaited. */
function settled<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(s: Settled<T>): T {
  if (!s.ok) throw s.error;
  return s.value;
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
  return (host) => lookupHostDane(host, secure, tlsa, port);
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
    const judge = async (r: AddressResult): Promise<void> => {
      r.dane = judgeAddressDane(r.probe, names, dane, now);
      if (!needsSentChain(r.probe, r.dane, dane)) return;
      // Rare (a DANE-TA host that did not match, with a chain into our store): one more
      // connection learns whether the server sent those issuers itself.
      const sent = await ctx.probe({ address: r.probe.address, hostname: host.name, sentChain: true });
      if (sent.tls) r.dane = judgeAddressDane(r.probe, names, dane, now, sent.tls.chain);
    };
    await Promise.all(counted.filter((r) => r.observation !== 'not-observed').map(judge));
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
