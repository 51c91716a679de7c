// NDJSON: one object per domain, written as soon as the domain finishes, so a batch of 100k
// domains can be consumed (and resumed) while it runs. Each object carries `schema` (from
// DomainResult) since there is no document header.
//
// Two forms (issue 16 item 3). `full`: each line is the whole result, self-contained (a domain
// with one MX address is ~5-7 KB, mostly its transcript and certificates). `compact`, the
// default: each line holds per probe only what the policy and the diff read, and each probe and
// certificate is a record line written once per file, before the first line that needs it
// (input/saved-form.ts). The one reader (input/read-results.ts) reads both.

import { CompactWriter } from '../input/saved-form.js';
import { SCHEMA_VERSION, type DomainResult, type PolicyRecommendation } from '../types.js';
import { domainReport, toJsonText } from './json.js';
import type { Detail } from './ndjson-detail.js';

export { DETAILS, type Detail } from './ndjson-detail.js';

/** One whole line, ending in '\n'; toJsonText guarantees no other line break inside. */
export function ndjsonLine(result: DomainResult, rec: PolicyRecommendation): string {
  return `${toJsonText(domainReport(result, rec))}\n`;
}

/** The lines of one file, domain by domain: a compact file remembers which records it holds. */
export function createNdjsonWriter(detail: Detail = 'compact'): (result: DomainResult, rec: PolicyRecommendation) => string {
  if (detail === 'full') return ndjsonLine;
  const writer = new CompactWriter(SCHEMA_VERSION, (value) => toJsonText(value));
  return (result, rec) => writer.lines(result, rec);
}
