// A bounded record of the conversation: enough to explain a failure in a report, never enough
// for a hostile server to bloat a batch's output or inject terminal escapes into it.
import type { TranscriptLine } from '../types.js';

export const DEFAULT_TRANSCRIPT_LIMITS = { maxLines: 200, maxChars: 512 };

export class Transcript {
  private readonly entries: TranscriptLine[] = [];
  private omitted = 0;

  constructor(private readonly limits = DEFAULT_TRANSCRIPT_LIMITS) {}

  /** A line the client sent. */
  client(text: string): void {
    this.add('C', text);
  }

  /** A line the server sent. */
  server(text: string): void {
    this.add('S', text);
  }

  /** Something the prober observed or decided (not on the wire). */
  note(text: string): void {
    this.add('*', text);
  }

  /** The lines so far; when lines were dropped, the last entry says how many. */
  lines(): TranscriptLine[] {
    const copy = this.entries.map((l) => ({ ...l }));
    if (this.omitted > 0) copy.push({ dir: '*', text: `${this.omitted} more transcript lines omitted` });
    return copy;
  }

  private add(dir: TranscriptLine['dir'], text: string): void {
    // One slot stays free for the "omitted" marker so the total never exceeds maxLines.
    if (this.entries.length >= this.limits.maxLines - 1) {
      this.omitted++;
      return;
    }
    const escaped = escapeControls(text);
    const cut = escaped.length > this.limits.maxChars ? `${escaped.slice(0, this.limits.maxChars - 1)}…` : escaped;
    this.entries.push({ dir, text: cut });
  }
}

function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\r') return '\\r';
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
