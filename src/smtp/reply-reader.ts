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
const SPACE = 0x20;
const HYPHEN = 0x2d;
const DIGIT_0 = 0x30;
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class ReplyReader {
  private readonly limits: ReplyLimits;
  /** Bytes of the line not yet terminated by LF. */
  private readonly partial: Buffer[] = [];
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
    // Nearly every line arrives in one chunk: that piece is the line, nothing to copy.
    let line = this.partial.length === 1 ? this.partial[0]! : Buffer.concat(this.partial, this.partialLength);
    const wireBytes = this.partialLength + 1; // + the LF
    this.partial.length = 0;
    this.partialLength = 0;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, -1);
    if (line.length > this.limits.maxLineLength) {
      return this.fail('reply-too-long', `reply line longer than ${this.limits.maxLineLength} bytes`);
    }
    const code = replyCode(line);
    if (code === undefined) return this.fail('protocol-error', `malformed reply line: ${JSON.stringify(printable(line.subarray(0, 40)))}`);
    const last = line.length === 3 || line[3] === SPACE;
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

/**
 * The reply code of a line that starts like one: Reply-code = %x32-35 %x30-39 %x30-39 (the
 * second digit is 0-5 in the RFC; servers stray), then " ", "-" or the end of the line.
 * Read from the bytes: a regex over a decoded copy was most of the reader's cost per line.
 */
function replyCode(line: Buffer): number | undefined {
  if (line.length < 3) return undefined;
  const a = line[0]! - DIGIT_0;
  const b = line[1]! - DIGIT_0;
  const c = line[2]! - DIGIT_0;
  if (a < 2 || a > 5 || b < 0 || b > 9 || c < 0 || c > 9) return undefined;
  if (line.length > 3 && line[3] !== SPACE && line[3] !== HYPHEN) return undefined;
  return a * 100 + b * 10 + c;
}

/** Decodes as UTF-8 (invalid sequences become U+FFFD) and replaces control characters except
 *  TAB, which RFC 5321 allows in reply text, so nothing a server sends can steer a terminal. */
function printable(bytes: Buffer): string {
  return utf8.decode(bytes).replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\uFFFD');
}
