// The JSON report: one document for the whole run. Its shape is the versioned schema
// (SCHEMA_VERSION in types.ts); fixtures/golden/ pins it.

import { SCHEMA_VERSION, type CompactDomainResult, type DomainResult, type PolicyRecommendation, type SavedRecord } from '../types.js';
import type { OutputItem } from './item.js';

export interface JsonMeta {
  version: string;
  generatedAt: Date | string;
  /** The options the run used (policy options, resolver, port...), recorded as given. */
  options?: Readonly<Record<string, unknown>>;
}

/**
 * One domain as serialised whole (a result of `--format json`, a line of `--format ndjson
 * --detail full`): everything observed (DNS, each MX host and address, TLS, certificates, DANE,
 * MTA-STS, TLS-RPT) plus the recommendation drawn from it (`policy`). `schema` is the version of
 * this shape.
 */
export type DomainReport = DomainResult & { policy: PolicyRecommendation };

/**
 * One domain in a compact NDJSON file (the default of `--format ndjson` since schema 2): each
 * probe as a summary (what the policy and the diff read) naming its probe record by `key`.
 */
export type CompactDomainReport = CompactDomainResult & { policy: PolicyRecommendation };

/**
 * One line of `mxtls scan --format ndjson`: a domain, whole (`--detail full`) or compact, or a
 * record (a probe, a certificate's DER) that compact lines after it refer to by key.
 */
export type SavedLine = DomainReport | CompactDomainReport | SavedRecord;

/**
 * Results of `mxtls scan` (and `mxtls policy`) as saved. `--format json` writes this document;
 * `--format ndjson` writes one DomainReport (definitions/DomainReport) per line, each carrying
 * its own `schema`. The schema version changes whenever a field changes meaning or shape; older
 * versions stay readable by later mxtls releases.
 */
export interface JsonReport {
  /** Version of the results' shape (the same number in every result). */
  schema: number;
  /** "mxtls <version>". */
  generator: string;
  /** When the document was written (ISO 8601). */
  generatedAt: string;
  /** The options the run used, recorded as given. */
  options: Readonly<Record<string, unknown>>;
  results: DomainReport[];
}

export function domainReport(result: DomainResult, rec: PolicyRecommendation): DomainReport {
  return { ...result, policy: rec };
}

/**
 * JSON.stringify, plus escapes for the characters it leaves raw that some readers treat as
 * line breaks (U+0085, U+2028, U+2029: Python's splitlines, older JavaScript parsers).
 * They can only occur inside strings, where the escape means the same character.
 */
export function toJsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u0085\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function jsonReport(meta: JsonMeta, items: readonly OutputItem[]): JsonReport {
  return {
    schema: SCHEMA_VERSION,
    generator: `mxtls ${meta.version}`,
    generatedAt: typeof meta.generatedAt === 'string' ? meta.generatedAt : meta.generatedAt.toISOString(),
    options: meta.options ?? {},
    results: items.map((item) => domainReport(item.result, item.rec)),
  };
}

export function renderJson(meta: JsonMeta, items: readonly OutputItem[]): string {
  return `${toJsonText(jsonReport(meta, items), 2)}\n`;
}
