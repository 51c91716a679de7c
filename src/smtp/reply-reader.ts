// Incremental SMTP reply reader (RFC 5321 §4.2). Pure: bytes in, complete replies out, so the
// session never depends on how TCP happened to split the server's output. Memory is bounded:
// a partial line never grows past the line cap and a reply never past the line-count cap.
import type { SmtpReply } from '../types.js';

export interface ReplyLimits {
  /** Longest accepted line, in bytes, without its CRLF. RFC 5321 says 512; servers exceed it. */
  maxLineLength: number;
  maxLinesPerReply: number;
}

export const DEFAULT_REPLY_LIMITS: ReplyLimits = { maxLineLength: 4096, maxLinesPerReply: 100 };

export type ReplyErrorKind = 'protocol-error' | 'reply-too-long';

export type ReplyEvent =
  /** `bytes` is the reply's size on the wire, so unread replies can be accounted for when purged. */
  | { type: 'reply'; reply: SmtpReply; bytes: number }
  | { type: 'error'; kind: ReplyErrorKind; message: string };

const LF = 0x0a;
const CR = 0x0d;
// Reply-code = %x32-35 %x30-39 %x30-39 (the second digit is 0-5 in the RFC; servers stray).
const REPLY_LINE = /^([2-5][0-9]{2})([ -]|$)/;
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class ReplyReader {
  private readonly limits: ReplyLimits;
  /** Bytes of the line not yet terminated by LF. */
  private partial: Buffer[] = [];
  private partialLength = 0;
  /** Lines of a multi-line reply whose last line has not arrived yet. */
  private pending: { code: number; lines: string[]; bytes: number } | undefined;
  /** After an error the stream cannot be resynchronised, so the reader stops parsing. */
  private failed = false;

  constructor(limits: Partial<ReplyLimits> = {}) {
    this.limits = { ...DEFAULT_REPLY_LIMITS, ...limits };
  }

  /** Bytes received that are not part of a reply returned so far. */
  get bufferedBytes(): number {
    return this.partialLength + (this.pending?.bytes ?? 0);
  }

  /** Consumes a chunk; returns the replies it completed, then at most one error (which is final). */
  feed(chunk: Buffer): ReplyEvent[] {
    const events: ReplyEvent[] = [];
    let start = 0;
    while (!this.failed && start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf === -1 ? chunk.length : lf;
      const piece = chunk.subarray(start, end);
      if (this.partialLength + piece.length > this.limits.maxLineLength + 1) {
        // +1 leaves room for the CR of a line exactly at the cap; checked before buffering so a
        // server streaming an endless line costs us nothing.
        events.push(this.fail('reply-too-long', `reply line longer than ${this.limits.maxLineLength} bytes`));
        break;
      }
      this.partial.push(piece);
      this.partialLength += piece.length;
      if (lf === -1) break;
      const event = this.completeLine();
      if (event) events.push(event);
      start = lf + 1;
    }
    return events;
  }

  private completeLine(): ReplyEvent | undefined {
    let line = Buffer.concat(this.partial, this.partialLength);
    const wireBytes = this.partialLength + 1; // + the LF
    this.partial = [];
    this.partialLength = 0;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, -1);
    if (line.length > this.limits.maxLineLength) {
      return this.fail('reply-too-long', `reply line longer than ${this.limits.maxLineLength} bytes`);
    }
    const head = REPLY_LINE.exec(line.subarray(0, 4).toString('latin1'));
    if (!head) return this.fail('protocol-error', `malformed reply line: ${JSON.stringify(printable(line.subarray(0, 40)))}`);
    const code = Number(head[1]);
    const last = head[2] !== '-';
    const text = printable(line.subarray(4));

    const reply = this.pending ?? { code, lines: [], bytes: 0 };
    if (reply.code !== code) return this.fail('protocol-error', `reply code changed from ${reply.code} to ${code} within one reply`);
    if (reply.lines.length >= this.limits.maxLinesPerReply) {
      return this.fail('reply-too-long', `reply has more than ${this.limits.maxLinesPerReply} lines`);
    }
    reply.lines.push(text);
    reply.bytes += wireBytes;
    if (!last) {
      this.pending = reply;
      return undefined;
    }
    this.pending = undefined;
    return { type: 'reply', reply: { code, lines: reply.lines }, bytes: reply.bytes };
  }

  private fail(kind: ReplyErrorKind, message: string): ReplyEvent {
    this.failed = true;
    return { type: 'error', kind, message };
  }
}

/** Decodes as UTF-8 (invalid sequences become U+FFFD) and replaces control characters except
 *  TAB, which RFC 5321 allows in reply text, so nothing a server sends can steer a terminal. */
function printable(bytes: Buffer): string {
  return utf8.decode(bytes).replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\uFFFD');
}
