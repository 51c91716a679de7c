// MTA-STS discovery for one domain (RFC 8461 §3): TXT record → policy fetch → policy parse.
// The TXT lookup and the fetch are injected, so this runs without sockets in unit tests.
import type { DnsAnswer, MtaStsReport } from '../types.js';
import { fetchStsPolicy, type FetchPolicyOptions, type PolicyFetchErrorKind, type PolicyFetchResult } from './fetch-policy.js';
import { parseStsPolicy, type StsMode } from './policy-text.js';
import { evaluateStsTxt } from './txt-record.js';

/** The shared result type (src/types.ts), under the name this module always used. */
export type MtaStsResult = MtaStsReport;

export interface MtaStsDeps {
  /** TXT lookup: each record as its list of character-strings. */
  txt(name: string): Promise<DnsAnswer<string[]>>;
  /** Policy fetch; defaults to fetchStsPolicy with `fetchOptions`. */
  fetch?(domain: string): Promise<PolicyFetchResult>;
  fetchOptions?: FetchPolicyOptions;
}

export function stsTxtName(domain: string): string {
  const lower = domain.toLowerCase();
  return `_mta-sts.${lower.endsWith('.') ? lower.slice(0, -1) : lower}`;
}

export async function discoverMtaSts(domain: string, deps: MtaStsDeps): Promise<MtaStsResult> {
  let answer: DnsAnswer<string[]>;
  try {
    answer = await deps.txt(stsTxtName(domain));
  } catch (err) {
    return { status: 'unknown', stage: 'dns', reason: `TXT lookup failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const authenticated = answer.authenticated;
  if (answer.status === 'nxdomain' || answer.status === 'nodata') {
    return { status: 'none', stage: 'txt', reason: 'no v=STSv1 TXT record', authenticated };
  }
  if (answer.status !== 'ok') {
    const detail = answer.detail !== undefined ? ` (${answer.detail})` : '';
    return { status: 'unknown', stage: 'dns', reason: `TXT lookup: ${answer.status}${detail}`, authenticated };
  }
  const txt = evaluateStsTxt(answer.records);
  if (txt.status !== 'ok') return { status: txt.status, stage: 'txt', reason: txt.reason, authenticated };
  const id = txt.record.id;

  let fetched: PolicyFetchResult;
  try {
    fetched = await (deps.fetch ?? ((d: string) => fetchStsPolicy(d, deps.fetchOptions)))(domain);
  } catch (err) {
    // fetchStsPolicy never throws; an injected fetch might.
    return { status: 'invalid', stage: 'fetch', id, reason: `policy fetch: ${err instanceof Error ? err.message : String(err)}`, authenticated };
  }
  if (!fetched.ok) {
    return { status: 'invalid', stage: 'fetch', id, fetchError: fetched.kind, reason: `policy fetch ${fetched.url}: ${fetched.kind}: ${fetched.detail}`, authenticated };
  }
  const parsed = parseStsPolicy(fetched.body);
  if (!parsed.ok) {
    const where = parsed.line !== undefined ? ` (line ${parsed.line})` : '';
    return { status: 'invalid', stage: 'policy', id, reason: `policy: ${parsed.reason}${where}`, authenticated };
  }
  const { mode, mx, maxAge, lines } = parsed.policy;
  return { status: 'ok', id, policy: { mode, mx, maxAge, lines }, authenticated };
}
