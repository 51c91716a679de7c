// The smtp_tls_policy_maps source file (POLICY.md, "The policy file"): one commented line
// per domain, or a comment saying why there is none. Feed it to `postmap`.

import type { PolicyRecommendation } from '../types.js';
import { createMapWriter, isPolicyLevel, type MapFileMeta, type MapValue, type MapWriter, renderMapFile } from './map-file.js';
import type { OutputItem } from './item.js';
import { isValidAttribute } from '../policy/postfix-syntax.js';

export interface PolicyFileMeta extends MapFileMeta {
  /** Leave out `may` lines: they repeat `smtp_tls_security_level = may`. A comment stays. */
  omitMay?: boolean;
}

function policyValue(rec: PolicyRecommendation, omitMay: boolean): MapValue {
  const level = rec.level;
  if (!isPolicyLevel(level)) return { comment: 'unknown level; no line written' };
  const attributes = Object.entries(rec.attributes);
  // Dropping one attribute would change what the line means (a `secure` line without its
  // `match=` checks a different name), so one bad attribute suppresses the whole line.
  if (!attributes.every(([name, value]) => isValidAttribute(name, value))) {
    return { comment: `${level} with an invalid attribute; no line written` };
  }
  // A `may` line with attributes (protocols=...) says more than the global default: keep it.
  if (level === 'may' && omitMay && attributes.length === 0) {
    return { comment: 'may (omitted: matches smtp_tls_security_level = may)' };
  }
  const value = [level, ...attributes.map(([name, value]) => `${name}=${value}`)].join(' ');
  return level === 'dane' || level === 'dane-only' ? { value, note: DANE_NEEDS } : { value };
}

/** Postfix looks TLSA up only with DNSSEC on (postconf(5), smtp_dns_support_level): say so where it matters. */
const DANE_NEEDS = 'dane levels need smtp_dns_support_level = dnssec and a DNSSEC-validating resolver';

export function createPolicyWriter(meta: PolicyFileMeta): MapWriter {
  const omitMay = meta.omitMay ?? false;
  return createMapWriter(meta, 'policy', (rec) => policyValue(rec, omitMay));
}

export function renderPolicyFile(meta: PolicyFileMeta, items: readonly OutputItem[]): string {
  return renderMapFile(meta, items, (m) => createPolicyWriter({ ...meta, ...m }));
}
