// NDJSON: one self-contained object per domain, written as soon as the domain finishes,
// so a batch of 100k domains can be consumed (and resumed) while it runs. Each object
// carries `schema` (from DomainResult) since there is no document header.

import type { DomainResult, PolicyRecommendation } from '../types.js';
import { domainReport, toJsonText } from './json.js';

/** One line, ending in '\n'; toJsonText guarantees no other line break inside. */
export function ndjsonLine(result: DomainResult, rec: PolicyRecommendation): string {
  return `${toJsonText(domainReport(result, rec))}\n`;
}
