// The JSON report: one document for the whole run. Its shape is the versioned schema
// (SCHEMA_VERSION in types.ts); fixtures/golden/ pins it.

import { SCHEMA_VERSION, type DomainResult, type PolicyRecommendation } from '../types.js';
import type { OutputItem } from './item.js';

export interface JsonMeta {
  version: string;
  generatedAt: Date | string;
  /** The options the run used (policy options, resolver, port...), recorded as given. */
  options?: Readonly<Record<string, unknown>>;
}

/** One domain as serialised: everything observed plus the recommendation drawn from it. */
export type DomainReport = DomainResult & { policy: PolicyRecommendation };

export interface JsonReport {
  schema: number;
  generator: string;
  generatedAt: string;
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
