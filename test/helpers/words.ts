// A recommendation's reasons and warnings as the table, the detail view and the policy file
// write them (src/output/reason-text.ts): for tests that check the policy's facts and their words
// in one go.
import { reasonLines, warningText } from '../../src/output/reason-text.js';
import type { PolicyRecommendation } from '../../src/types.js';

export function words(rec: Pick<PolicyRecommendation, 'kind' | 'summary' | 'reasons' | 'warnings'>): { reasons: string[]; warnings: string[] } {
  return { reasons: reasonLines(rec as PolicyRecommendation), warnings: rec.warnings.map(warningText) };
}
