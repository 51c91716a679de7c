// The schema versions a saved results file may carry, each with how one of its lines is checked
// (against the JSON Schema of that version) and brought to today's shape, so that last night's
// file stays readable after an upgrade (ARCHITECTURE principle 11). Today's shape is version 2,
// schema/result.schema.json, generated from the types; each older version keeps a frozen copy of
// its schema file (schema/result.v1.schema.json) and an upgrade.
//
// 1 -> 2: the recommendation's reasons and warnings became codes with parameters (`summary`,
//   `reasons`, `warnings`). Version 1 wrote them as words; they are kept as words (`saved-words`),
//   the first reason as the summary: nothing parses prose back into facts.

import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { SCHEMA_VERSION, type DomainResult, type PolicyRecommendation, type SavedWords } from '../types.js';

/** One line of an NDJSON results file, as `--format ndjson` writes it (declared here, where each version is upgraded to it). */
export type SavedResult = DomainResult & { policy: PolicyRecommendation };

export interface ResultVersion {
  /** Why a parsed line is not a result of this version (first error, at its JSON pointer), or undefined. */
  check(value: unknown): string | undefined;
  /** A checked line in today's shape. */
  upgrade(value: unknown): SavedResult;
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

/** A check against one definition of a schema file, compiled once, on first use: a run that
 *  reads no saved results pays nothing. */
function validatorOf(schemaFile: string, definition: string): (value: unknown) => string | undefined {
  let validate: ValidateFunction | undefined;
  return (value) => {
    if (!validate) {
      const ajv = new Ajv();
      ajv.addSchema(require(schemaFile) as object, 'results');
      validate = ajv.getSchema(`results#/definitions/${definition}`);
      if (!validate) throw new Error(`${schemaFile} has no definition ${definition}`);
    }
    return validate(value) ? undefined : describe(validate.errors![0]!);
  };
}

/** A version 1 line (checked against its schema) in today's shape. */
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

export const RESULT_VERSIONS: ReadonlyMap<number, ResultVersion> = new Map([
  [1, { check: validatorOf('mxtls/schema/result.v1.schema.json', 'DomainReport'), upgrade: fromVersion1 }],
  [2, { check: validatorOf('mxtls/schema/result.schema.json', 'DomainReport'), upgrade: (value: unknown) => value as SavedResult }],
]);
