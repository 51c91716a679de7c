import type { DomainResult, PolicyRecommendation } from '../types.js';

/** What every renderer consumes: a scanned domain and the recommendation drawn from it. */
export interface OutputItem {
  result: DomainResult;
  rec: PolicyRecommendation;
}
