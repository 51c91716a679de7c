import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DomainResult, PolicyRecommendation } from '../types.js';
import { SCHEMA_VERSION } from '../types.js';

/** One line of an NDJSON results file, as `--format ndjson` writes it. */
export type SavedResult = DomainResult & { policy?: PolicyRecommendation };

export interface ResultsProblem {
  line: number;
  error: string;
}

/**
 * Streams the results of an earlier run (an NDJSON file), one domain at a time, so a file of a
 * million domains is never held whole. A broken line (a run killed mid-write) is reported and
 * skipped; a line of another schema version is an error, since its fields may mean other things.
 */
export async function* readResults(path: string, onProblem: (p: ResultsProblem) => void): AsyncGenerator<SavedResult> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      onProblem({ line: n, error: 'not JSON' });
      continue;
    }
    const r = value as Partial<SavedResult>;
    if (typeof r !== 'object' || r === null || typeof r.domain !== 'string' || r.mx === undefined || !Array.isArray(r.hosts)) {
      onProblem({ line: n, error: 'not a domain result' });
      continue;
    }
    if (r.schema !== SCHEMA_VERSION) {
      throw new Error(`${path}:${n}: results of schema ${String(r.schema)}; this mxtls reads schema ${SCHEMA_VERSION}`);
    }
    yield r as SavedResult;
  }
}
