// The smtp_tls_policy_maps source file (POLICY.md, "The policy file"): one commented line
// per domain, or a comment saying why there is none. Written for one Postfix version (the
// header names it): no line carries an attribute that version rejects. Feed it to `postmap`.

import type { PolicyRecommendation } from '../types.js';
import { createMapWriter, isPolicyLevel, type MapFileMeta, type MapValue, type MapWriter, renderMapFile } from './map-file.js';
import type { OutputItem } from './item.js';
import { formatAttribute, isValidAttribute, MAX_VALUE_LENGTH } from '../policy/postfix-syntax.js';
import { rejectedAttribute } from '../policy/postfix-attributes.js';
import { DEFAULT_TARGET, type PostfixTarget } from '../policy/postfix-target.js';
import { type Attribute, stsAttributes } from './sts-attributes.js';

export interface PolicyFileMeta extends MapFileMeta {
  /** Leave out `may` lines: they repeat `smtp_tls_security_level = may`. A comment stays. */
  omitMay?: boolean;
}

/** A line with the notes that apply to it, each written as a comment above it. */
function line(value: string, ...notes: (string | undefined)[]): MapValue {
  const present = notes.filter((note) => note !== undefined);
  return present.length > 0 ? { value, note: present.join('; ') } : { value };
}

function policyValue(rec: PolicyRecommendation, omitMay: boolean, target: PostfixTarget): MapValue {
  const level = rec.level;
  if (!isPolicyLevel(level)) return { comment: 'unknown level; no line written' };
  const attributes: Attribute[] = Object.entries(rec.attributes);
  // Dropping one attribute would change what the line means (a `secure` line without its
  // `match=` checks a different name), so one bad attribute suppresses the whole line.
  if (!attributes.every(([name, value]) => isValidAttribute(name, value))) {
    return { comment: `${level} with an invalid attribute; no line written` };
  }
  const rejected = rejectedAttribute(target, level, attributes);
  // Not only what Postfix rejects: also what mxtls never writes (policy_failure=, docs/policy.md).
  if (rejected !== undefined) return { comment: `${level} with ${rejected}=, not written for Postfix ${target.label} at this level; no line written` };
  // A `may` line with attributes (protocols=...) says more than the global default: keep it.
  if (level === 'may' && omitMay && attributes.length === 0) {
    return { comment: 'may (omitted: matches smtp_tls_security_level = may)' };
  }
  const text = (list: readonly Attribute[]) => [level, ...list.map(([name, value]) => formatAttribute(name, value))].join(' ');
  const base = text(attributes);
  if (base.length > MAX_VALUE_LENGTH) return { comment: `${level} line of ${base.length} bytes, over ${MAX_VALUE_LENGTH} (socketmap_max_reply_size); no line written` };
  const dane = level === 'dane' || level === 'dane-only' ? DANE_NEEDS : undefined;

  const sts = stsAttributes(rec, target);
  if (sts.kind === 'none') return line(base, dane);
  if (sts.kind === 'left-out') return line(base, dane, sts.note);
  const full = [...attributes, ...sts.attributes];
  // Checked like any other line; the STS values came from the network.
  const rejectedSts = rejectedAttribute(target, level, full);
  if (rejectedSts !== undefined) return line(base, dane, `Postfix ${target.label} TLSRPT attributes left out: ${rejectedSts}= not accepted with this line`);
  const value = text(full);
  if (value.length > MAX_VALUE_LENGTH) {
    return line(base, dane, `Postfix ${target.label} TLSRPT attributes left out: the line would be ${value.length} bytes, over ${MAX_VALUE_LENGTH} (socketmap_max_reply_size); match= alone decides`);
  }
  return line(value, dane, sts.note);
}

/** Postfix looks TLSA up only with DNSSEC on (postconf(5), smtp_dns_support_level): say so where it matters. */
const DANE_NEEDS = 'dane levels need smtp_dns_support_level = dnssec and a DNSSEC-validating resolver';

export function createPolicyWriter(meta: PolicyFileMeta): MapWriter {
  const omitMay = meta.omitMay ?? false;
  const target = meta.postfix ?? DEFAULT_TARGET;
  return createMapWriter({ ...meta, postfix: target }, 'policy', (rec) => policyValue(rec, omitMay, target));
}

export function renderPolicyFile(meta: PolicyFileMeta, items: readonly OutputItem[]): string {
  return renderMapFile(meta, items, (m) => createPolicyWriter({ ...meta, ...m }));
}
