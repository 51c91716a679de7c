// The schema versions a saved results file may carry, each with how one of its lines is checked
// (against the JSON Schema of that version, generated from the types) and brought to today's
// shape (ARCHITECTURE principle 11: last night's file stays readable).
//   1: one whole result per line (schema/result.schema.v1.json, frozen), reasons and warnings
//      as words.
//   2: the compact form (issue 16 item 3): whole lines (`--detail full`), compact lines whose
//      probes are summaries naming a probe record, and the record lines
//      (schema/result.schema.v2.json, frozen); reasons and warnings are codes with parameters
//      (issue 13). Version 1's words are kept as words (`saved-words`, the first reason as the
//      summary): nothing parses prose into facts.
//   3: the same, but a probe record holds only what the summary lacks (the transcript only for a
//      probe that failed) and a compact line's DNS answers are sparse (schema/result.schema.json).
//      A version 2 line is today's shape already: its records hold the whole probe and its
//      answers are whole, both of which the reader of compact lines (input/saved-form.ts) takes.

import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { SCHEMA_VERSION, type CompactDomainResult, type DomainResult, type PolicyRecommendation, type SavedRecord, type SavedWords } from '../types.js';

/** One whole line of an NDJSON results file, in today's shape (declared here, where each version is upgraded to it). */
export type SavedResult = DomainResult & { policy: PolicyRecommendation };

/** A domain line of today's shape, whole or compact. */
export type SavedDomainLine = SavedResult | (CompactDomainResult & { policy: PolicyRecommendation });

/** Any line of today's shape. */
export type SavedLine = SavedDomainLine | SavedRecord;

export interface ResultVersion {
  /** Why a parsed line is not a line of this version (first error, at its JSON pointer), or undefined. */
  check(value: unknown): string | undefined;
  /** A checked line in today's shape. */
  upgrade(value: unknown): SavedLine;
}

// The schema is found through the package's own name (its "exports" list it), from src/ under
// vitest and from dist/src/ once built alike; require() reads JSON without the warning that
// Node 20 prints for JSON modules.
const require = createRequire(import.meta.url);

/** "/hosts/0/addresses/0: must have required property 'probe'"; a pointer of "" is the whole line. */
function describe(error: ErrorObject): string {
  const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params['additionalProperty'])})` : '';
  return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${extra}`;
}

/** Checks against definitions of a schema file, compiled once, on first use: a run that reads
 *  no saved results pays nothing. */
function validatorsOf(schemaFile: string): (definition: string) => (value: unknown) => string | undefined {
  let ajv: Ajv | undefined;
  const compiled = new Map<string, ValidateFunction>();
  return (definition) => (value) => {
    let validate = compiled.get(definition);
    if (!validate) {
      if (!ajv) {
        ajv = new Ajv();
        ajv.addSchema(require(schemaFile) as object, 'results');
      }
      validate = ajv.getSchema(`results#/definitions/${definition}`);
      if (!validate) throw new Error(`${schemaFile} has no definition ${definition}`);
      compiled.set(definition, validate);
    }
    return validate(value) ? undefined : describe(validate.errors![0]!);
  };
}

const v1Line = validatorsOf('mxtls/schema/result.schema.v1.json')('DomainReport');

/** Whether a version 2 or 3 domain line holds a probe summary (a `key`). Checked before the
 *  schema, so it looks only where a probe is. */
function isCompact(value: object): boolean {
  const hosts = (value as { hosts?: unknown }).hosts;
  if (!Array.isArray(hosts)) return false;
  return hosts.some((h: { addresses?: unknown }) => Array.isArray(h?.addresses) && h.addresses.some((a: { probe?: unknown }) => typeof a?.probe === 'object' && a.probe !== null && 'key' in a.probe));
}

/** The check of a version with compact lines: one check per kind of line, so that the error
 *  names the field of that kind that is wrong (a check against "any of the three" would only
 *  say that none fits). */
function compactFormCheck(schemaFile: string): (value: unknown) => string | undefined {
  const of = validatorsOf(schemaFile);
  const [whole, compact, record] = [of('DomainReport'), of('CompactDomainReport'), of('SavedRecord')];
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return '/: must be object';
    if ('record' in value) return record(value);
    if (isCompact(value)) return compact(value);
    // A line without probes (no MX, a DNS error) reads the same in both forms but for its
    // answers, sparse in a compact line: it is either. The whole form's error is the one told.
    const asWhole = whole(value);
    return asWhole === undefined || compact(value) === undefined ? undefined : asWhole;
  };
}

/** A version 1 line (a whole result, checked against its schema) in today's shape. */
function fromVersion1(value: unknown): SavedResult {
  const line = value as Omit<SavedResult, 'policy'> & { policy: Omit<PolicyRecommendation, 'summary' | 'reasons' | 'warnings'> & { reasons: string[]; warnings: string[] } };
  const words = (text: string): SavedWords => ({ code: 'saved-words', text });
  const { reasons, warnings, ...policy } = line.policy;
  return {
    ...line,
    schema: SCHEMA_VERSION,
    policy: { ...policy, summary: words(reasons[0] ?? ''), reasons: reasons.slice(1).map(words), warnings: warnings.map(words) },
  };
}

export const RESULT_VERSIONS: ReadonlyMap<number, ResultVersion> = new Map<number, ResultVersion>([
  [1, { check: v1Line, upgrade: fromVersion1 }],
  [2, { check: compactFormCheck('mxtls/schema/result.schema.v2.json'), upgrade: (value: unknown) => value as SavedLine }],
  [3, { check: compactFormCheck('mxtls/schema/result.schema.json'), upgrade: (value: unknown) => value as SavedLine }],
]);
