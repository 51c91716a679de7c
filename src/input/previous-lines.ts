import type { PreviousLine } from '../policy/carry-over.js';
import { readResults, type ResultsProblem } from './read-results.js';

/** The previous run's lines, kept small: only domains that had one. */
export async function previousLines(path: string, onProblem: (p: ResultsProblem) => void): Promise<Map<string, PreviousLine>> {
  const lines = new Map<string, PreviousLine>();
  for await (const r of readResults(path, onProblem)) {
    const rec = r.policy;
    if (rec?.kind === 'line' && rec.level) {
      lines.set(r.domain, { level: rec.level, attributes: rec.attributes ?? {}, scannedAt: rec.carriedOverFrom ?? r.startedAt });
    }
  }
  return lines;
}
