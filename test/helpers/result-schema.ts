// Validators for saved results against the committed schema, with every error listed (the
// reader stops at the first): for tests that check real output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { repositoryRoot, RESULT_SCHEMA_FILE } from '../../fixtures/result-schema.js';

type Check = (value: unknown) => string[];

let compiled: { line: Check; document: Check } | undefined;

function messages(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

/** `line`: one NDJSON line (definitions/SavedLine: a domain, whole or compact, or a record); `document`: the --format json output. */
export function resultValidators(): { line: Check; document: Check } {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true });
    ajv.addSchema(JSON.parse(readFileSync(join(repositoryRoot(), RESULT_SCHEMA_FILE), 'utf8')), 'results');
    const line = ajv.getSchema('results#/definitions/SavedLine')!;
    const document = ajv.getSchema('results')!;
    compiled = { line: (v) => (line(v) ? [] : messages(line.errors)), document: (v) => (document(v) ? [] : messages(document.errors)) };
  }
  return compiled;
}
