// One SMTP conversation over a connected socket (plain or TLS): send a command, wait for its
// reply with a timer armed for that step only. Outcomes are values; nothing here throws.
// Mapping Node's socket errors to failure kinds is left to the prober's one table, so a socket
// error is handed up with its cause.
import type net from 'node:net';
import type { SmtpReply } from '../types.js';
import { ReplyReader, type ReplyEvent, type ReplyLimits } from './reply-reader.js';
import type { Transcript } from './transcript.js';

export type ReplyTimeoutKind = 'greeting-timeout' | 'command-timeout';

export type ReplyFailure =
  | { kind: ReplyTimeoutKind | 'connection-closed' | 'protocol-error' | 'reply-too-long'; message: string }
  | { kind: 'socket-error'; message: string; cause: unknown };

export type ReplyOutcome = { ok: true; reply: SmtpReply } | { ok: false; failure: ReplyFailure };

export class SmtpSession {
  private readonly reader: ReplyReader;
  /** Replies received and not yet read, in order. */
  private readonly queue: Array<{ reply: SmtpReply; bytes: number }> = [];
  /** Set once: nothing more will arrive (reader error, socket error or close). */
  private ended: ReplyFailure | undefined;
  /** Called whenever the queue or `ended` changes while a read is waiting. */
  private wake: (() => void) | undefined;

  private readonly onData = (chunk: Buffer): void => {
    for (const event of this.reader.feed(chunk)) this.accept(event);
    this.wake?.();
  };
  private readonly onError = (err: Error): void => {
    this.end({ kind: 'socket-error', message: err.message, cause: err });
  };
  private readonly onEnd = (): void => {
    this.end({ kind: 'connection-closed', message: 'the server closed the connection' });
  };

  constructor(
    private readonly socket: net.Socket,
    private readonly transcript: Transcript,
    limits: Partial<ReplyLimits> = {},
  ) {
    this.reader = new ReplyReader(limits);
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
  }

  /** Waits up to `timeoutMs` for the next reply; the timer covers this step only. */
  readReply(timeoutMs: number, timeoutKind: ReplyTimeoutKind): Promise<ReplyOutcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve({ ok: false, failure: { kind: timeoutKind, message: `no complete reply within ${timeoutMs} ms` } });
      }, timeoutMs);
      const attempt = (): void => {
        const outcome = this.take();
        if (!outcome) return;
        clearTimeout(timer);
        this.wake = undefined;
        resolve(outcome);
      };
      this.wake = attempt;
      attempt();
    });
  }

  /** Sends one command line and waits up to `timeoutMs` for its reply. */
  command(line: string, timeoutMs: number): Promise<ReplyOutcome> {
    // Writing to a dead socket reports through 'error', or not at all once it is destroyed; the
    // read below then returns how the connection ended.
    if (!this.ended && this.socket.writable) {
      this.transcript.client(line);
      this.socket.write(`${line}\r\n`);
    }
    return this.readReply(timeoutMs, 'command-timeout');
  }

  /**
   * Sends QUIT and closes our side without waiting for the 221 (RFC 5321 §4.1.1.10 asks the
   * receiver to answer and close; nothing we keep depends on that answer, and waiting costs a
   * round trip per probe). The server has read QUIT before it sees our FIN, so Postfix logs
   * `quit=1` in its `disconnect` line rather than a lost connection. Resolves once the line is
   * handed to the kernel (or after `timeoutMs` if it cannot be), never on a reply.
   */
  quit(timeoutMs: number): Promise<void> {
    if (this.ended || !this.socket.writable) return Promise.resolve();
    this.transcript.client('QUIT');
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.socket.end('QUIT\r\n', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Stops listening so the socket can be handed to another reader (the TLS layer) and returns
   * how many received bytes were never read as replies: the caller must drop them, never parse
   * them later (RFC 3207 §6).
   */
  release(): number {
    this.socket.off('data', this.onData);
    this.socket.off('error', this.onError);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    // Until its new owner listens, an error event with no listener would crash the process.
    this.socket.on('error', ignore);
    this.wake = undefined;
    const unread = this.queue.reduce((sum, q) => sum + q.bytes, 0) + this.reader.bufferedBytes;
    this.queue.length = 0;
    return unread;
  }

  private accept(event: ReplyEvent): void {
    if (event.type === 'reply') this.queue.push({ reply: event.reply, bytes: event.bytes });
    else this.end({ kind: event.kind, message: event.message });
  }

  private end(failure: ReplyFailure): void {
    this.ended ??= failure;
    this.wake?.();
  }

  private take(): ReplyOutcome | undefined {
    const next = this.queue.shift();
    if (next) {
      const { code, lines } = next.reply;
      lines.forEach((text, i) => this.transcript.server(`${code}${i < lines.length - 1 ? '-' : ' '}${text}`.trimEnd()));
      return { ok: true, reply: next.reply };
    }
    return this.ended ? { ok: false, failure: this.ended } : undefined;
  }
}

function ignore(): void {}
