// The schema versions a saved results file may carry, each with how one of its lines is checked
// (against the JSON Schema of that version, schema/result.schema.json, generated from the types)
// and brought to today's shape. Today's files are version 1, the only version so far. When
// SCHEMA_VERSION is bumped, version 1 keeps its entry with a frozen copy of its schema file and
// an upgrade to the new shape, so last night's file stays readable (ARCHITECTURE principle 11).

import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { DomainResult, PolicyRecommendation } from '../types.js';

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

export const RESULT_VERSIONS: ReadonlyMap<number, ResultVersion> = new Map([
  [1, { check: validatorOf('mxtls/schema/result.schema.json', 'DomainReport'), upgrade: (value: unknown) => value as SavedResult }],
]);
