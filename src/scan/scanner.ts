import { hostname } from 'node:os';
import { cachedResolver } from '../dns/cached-resolver.js';
import { createResolver } from '../dns/client.js';
import { systemResolvers } from '../dns/resolver-address.js';
import { probeAddress } from '../probe/probe-address.js';
import { SummaryCache } from '../tls/summary-cache.js';
import { loadTrustStore } from '../tls/trust.js';
import type { ProbeOptions, ResolverAddress, Timeouts, TrustStore } from '../types.js';
import { DEFAULT_TIMEOUTS } from '../types.js';
import { createDeclarationLookup } from './declarations.js';
import { createProbePool } from './probe-pool.js';
import type { ScanDeps } from './scan-domain.js';
import { DEFAULT_PACING, type PacingOptions } from './pacing.js';

export interface ScanOptions {
  /** DNS resolvers to ask; default: /etc/resolv.conf. */
  resolvers?: ResolverAddress[];
  /** SMTP port; default 25. */
  port?: number;
  /** EHLO name; default: this machine's host name. */
  ehloName?: string;
  /** Send EHLO again after TLS (its keywords go in ehloTlsKeywords); default off: one more
   *  round trip per probe that no verdict uses. */
  ehloAfterTls?: boolean;
  timeouts?: Partial<Timeouts>;
  /** DNS query timeout in seconds; default 5. */
  dnsTimeout?: number;
  /** HTTPS port for MTA-STS policy hosts; default 443 (test labs use another). */
  httpsPort?: number;
  /** Trust store; default: see loadTrustStore (the system bundle, else Node's roots). */
  trust?: TrustStore;
  caFile?: string;
  caPath?: string;
}

export interface ResolvedScanOptions {
  resolvers: ResolverAddress[];
  httpsPort: number;
  probe: ProbeOptions;
  dnsTimeoutMs: number;
}

/** Fills in every default once, so the CLI and library users scan with the same settings. */
export async function resolveScanOptions(options: ScanOptions = {}): Promise<ResolvedScanOptions> {
  const trust = options.trust ?? loadTrustStore({ caFile: options.caFile, caPath: options.caPath });
  return {
    resolvers: options.resolvers && options.resolvers.length > 0 ? options.resolvers : await systemResolvers(),
    dnsTimeoutMs: (options.dnsTimeout ?? 5) * 1000,
    httpsPort: options.httpsPort ?? 443,
    probe: {
      port: options.port ?? 25,
      ehloName: options.ehloName ?? defaultEhloName(),
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      trust,
      ...(options.ehloAfterTls ? { ehloAfterTls: true } : {}),
    },
  };
}

/**
 * The real network for one run: our DNS transport and SMTP probes, cached and paced (pacing.ts;
 * what is not given takes its default). `signal` ends the wait of probes due for a retry. Its
 * sockets, caches and semaphores belong to it alone; close() ends them when the run is done.
 */
export function createScanDeps(
  resolved: ResolvedScanOptions,
  pacing: Partial<PacingOptions> = {},
  signal?: AbortSignal,
): ScanDeps & { probesStarted(): number; close(): void } {
  const dns = createResolver({ resolvers: resolved.resolvers, timeoutMs: resolved.dnsTimeoutMs });
  const resolver = cachedResolver(dns);
  const probeOptions = { ...resolved.probe, certificates: new SummaryCache() };
  const pool = createProbePool((target) => probeAddress(target, probeOptions), { ...DEFAULT_PACING, ...pacing, ...(signal ? { signal } : {}) });
  const declarations = createDeclarationLookup(resolver, {
    trust: resolved.probe.trust,
    timeoutMs: resolved.probe.timeouts.command * 1000,
    httpsPort: resolved.httpsPort,
  });
  return { resolver, probe: pool.probe, probesStarted: pool.started, close: () => dns.close(), ...(declarations ? { declarations } : {}) };
}

/** A fully qualified name is what receiving servers expect in EHLO; fall back to a
 *  syntactically valid placeholder rather than a bare label some servers reject. */
function defaultEhloName(): string {
  const name = hostname();
  return name.includes('.') ? name : `${name}.localdomain`;
}
