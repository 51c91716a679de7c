import { discoverMtaSts } from '../mta-sts/discover.js';
import { fetchStsPolicy, policyHost, policyUrl, type PolicyFetchResult } from '../mta-sts/fetch-policy.js';
import { evaluateTlsRpt, tlsRptTxtName } from '../tls-rpt/record.js';
import type { MtaStsReport, Resolver, TlsRptReport, TrustStore } from '../types.js';

/** What a domain declares about how it wants to be reached over TLS. */
export interface Declarations {
  mtaSts: MtaStsReport;
  tlsRpt: TlsRptReport;
}

export type DeclarationLookup = (domain: string) => Promise<Declarations>;

export interface DeclarationOptions {
  /** CAs for the HTTPS policy fetch: the same store the SMTP probes trust. */
  trust: TrustStore;
  timeoutMs: number;
  /** HTTPS port of policy hosts; 443 but in test labs. */
  httpsPort?: number;
}

/**
 * MTA-STS and TLS-RPT lookups through the scanner's own resolver: the policy host's address
 * comes from the configured DNS too (never the system's), so a lab or a split-horizon setup
 * sees the same world for SMTP and HTTPS.
 */
export function createDeclarationLookup(resolver: Resolver, options: DeclarationOptions): DeclarationLookup | undefined {
  const txt = resolver.txt?.bind(resolver);
  if (!txt) return undefined;
  const port = options.httpsPort ?? 443;

  const fetch = async (domain: string): Promise<PolicyFetchResult> => {
    const host = policyHost(domain);
    const a = await resolver.a(host);
    const address = a.records[0];
    if (!address) return { ok: false, url: policyUrl(domain), kind: 'dns', detail: `${host}: no address (${a.status})` };
    return fetchStsPolicy(domain, { ca: options.trust.ca, timeoutMs: options.timeoutMs, connectTo: { [host]: { address, port } } });
  };

  return async (domain) => {
    const [mtaSts, rpt] = await Promise.all([discoverMtaSts(domain, { txt, fetch }), txt(tlsRptTxtName(domain))]);
    return { mtaSts, tlsRpt: evaluateTlsRpt(rpt) };
  };
}
