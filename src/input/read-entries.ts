import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { BatchEntry } from '../scan/batch.js';
import { normalizeInput, toTarget } from './normalize.js';

export interface InputProblem {
  source: string;
  line: number;
  input: string;
  error: string;
}

/**
 * Streams batch entries from a list file (or stdin for "-"), one line at a time, so a long list
 * is never read whole. Bad lines are handed to onProblem with their line number and skipped.
 */
export async function* readEntries(path: string, onProblem: (p: InputProblem) => void): AsyncGenerator<BatchEntry> {
  const stream: Readable = path === '-' ? process.stdin : createReadStream(path, { encoding: 'utf8' });
  const source = path === '-' ? 'stdin' : path;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    const entry = normalizeInput(line);
    if (!entry) continue;
    if (entry.ok) yield toTarget(entry);
    else onProblem({ source, line: n, input: entry.input, error: entry.error });
  }
}

/** The same rules for domains given as arguments; "line" is the argument's position. */
export function* argumentEntries(args: string[], onProblem: (p: InputProblem) => void): Generator<BatchEntry> {
  let n = 0;
  for (const arg of args) {
    n++;
    const entry = normalizeInput(arg);
    if (!entry) continue;
    if (entry.ok) yield toTarget(entry);
    else onProblem({ source: 'argument', line: n, input: entry.input, error: entry.error });
  }
}
