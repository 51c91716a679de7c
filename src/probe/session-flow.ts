// One attempt at one address: connect → greeting → EHLO (HELO fallback) → STARTTLS → TLS →
// (EHLO over TLS, only when asked) → QUIT, each step under its own timer. It lives in probe/
// rather than smtp/ because it joins SMTP, TLS and the error table, which smtp/ must not import.
import type net from 'node:net';
import { ehloKeywords, hasKeyword } from '../smtp/capabilities.js';
import { SmtpSession, type ReplyFailure, type ReplyOutcome } from '../smtp/session.js';
import type { Transcript } from '../smtp/transcript.js';
import { upgradeToTls } from '../tls/handshake.js';
import type { AddressProbe, ProbeOptions, ProbeStage, SmtpReply, TrustStore } from '../types.js';
import { connectTcp } from './connect.js';
import { classifyError, classifyThrown, type ClassifiedError } from './failure-codes.js';

export interface ProbeTarget {
  address: string;
  hostname: string;
  /** An explicit next hop's port; otherwise opts.port. */
  port?: number;
  /**
   * Probe only to learn which certificates the server sends: the handshake trusts nothing, so
   * Node adds no issuer of ours to the chain (and the trust verdict says nothing).
   */
  sentChain?: boolean;
}

/** No certificate at all: what a `sentChain` handshake verifies against. */
const TRUST_NOTHING: TrustStore = { ca: [], source: 'nothing (a probe of the chain the server sends)' };

/** The AddressProbe fields one attempt observes, plus whether a legacy TLS retry could help. */
export type SessionOutcome = Pick<
  AddressProbe,
  'stage' | 'failure' | 'greeting' | 'heloFallback' | 'ehloKeywords' | 'starttlsOffered' | 'starttlsReply' | 'tls' | 'ehloTlsKeywords'
> & { legacyMightHelp: boolean };

/** QUIT is a courtesy: a socket that cannot even take the line must not hold the probe up. */
const QUIT_WRITE_MS = 1000;

/** A failed step; a reply that ended the session is kept with it (the pool retries a 4xx). */
type StepError = ClassifiedError & { reply?: SmtpReply };

const ms = (seconds: number): number => Math.round(seconds * 1000);
const positive = (reply: SmtpReply): boolean => reply.code >= 200 && reply.code < 300;
const replyText = (reply: SmtpReply): string => `${reply.code} ${reply.lines.join(' ')}`.trim();

function fromReplyFailure(failure: ReplyFailure): ClassifiedError {
  return failure.kind === 'socket-error' ? classifyError(failure.cause) : failure;
}

/**
 * Runs the session once. Never rejects: an unexpected exception becomes an 'io-error' at the
 * step in progress. `stage` is the furthest step completed and `failure.stage` the step that
 * failed; a session that ended normally (with or without STARTTLS, or via HELO) is 'done' with
 * no failure. ProbeStage has no "nothing yet", so a failed connect reads stage 'connect' with
 * failure.stage 'connect'.
 */
export async function runSession(target: ProbeTarget, opts: ProbeOptions, legacy: boolean, transcript: Transcript): Promise<SessionOutcome> {
  const out: SessionOutcome = { stage: 'connect', heloFallback: false, ehloKeywords: [], starttlsOffered: false, legacyMightHelp: false };
  const sockets: net.Socket[] = [];
  let step: ProbeStage = 'connect';
  const fail = (f: StepError): SessionOutcome => {
    // OpenSSL's messages end with a newline; reports want one line.
    const message = f.message.trim();
    out.failure = {
      stage: step,
      kind: f.kind,
      message,
      ...(f.code !== undefined ? { code: f.code } : {}),
      ...(f.stack !== undefined ? { stack: f.stack } : {}),
      ...(f.reply !== undefined ? { reply: f.reply } : {}),
    };
    transcript.note(`${step} failed: ${f.kind}: ${message}`);
    return out;
  };
  const quit = (session: SmtpSession): Promise<void> => session.quit(Math.min(ms(opts.timeouts.command), QUIT_WRITE_MS));
  /** The session ran as far as the result needs: QUIT (its 221 is not awaited), and done. */
  const done = async (session: SmtpSession): Promise<SessionOutcome> => {
    step = 'quit';
    await quit(session);
    out.stage = 'done';
    return out;
  };
  /** A step that must answer 2xx; anything else ends the session with `rejected`. */
  const expectPositive = (reply: ReplyOutcome, rejected: ClassifiedError['kind']): StepError | undefined => {
    if (!reply.ok) return fromReplyFailure(reply.failure);
    return positive(reply.reply) ? undefined : { kind: rejected, message: replyText(reply.reply), reply: reply.reply };
  };
  /** Ends the session on a failed step; a server that refused politely gets a polite QUIT
   *  (RFC 5321 §3.1 asks for one even after a 554 greeting). */
  const stop = async (session: SmtpSession, reply: ReplyOutcome, error: StepError): Promise<SessionOutcome> => {
    const result = fail(error);
    if (reply.ok) await quit(session);
    return result;
  };

  try {
    const port = target.port ?? opts.port;
    transcript.note(`connecting to ${target.address} port ${port}${legacy ? ' (legacy TLS retry)' : ''}`);
    const conn = await connectTcp(target.address, port, ms(opts.timeouts.connect));
    if (!conn.ok) return fail(conn.failure);
    sockets.push(conn.socket);

    step = 'greeting';
    const plain = new SmtpSession(conn.socket, transcript);
    const greeting = await plain.readReply(ms(opts.timeouts.greeting), 'greeting-timeout');
    if (greeting.ok) out.greeting = greeting.reply;
    const greetingError = expectPositive(greeting, 'greeting-rejected');
    if (greetingError) return stop(plain, greeting, greetingError);
    out.stage = 'greeting';

    step = 'ehlo';
    let hello = await plain.command(`EHLO ${opts.ehloName}`, ms(opts.timeouts.command));
    if (hello.ok && hello.reply.code >= 500 && hello.reply.code < 600) {
      // An EHLO-less server: HELO still talks SMTP, but it cannot announce STARTTLS.
      hello = await plain.command(`HELO ${opts.ehloName}`, ms(opts.timeouts.command));
      out.heloFallback = true;
    } else if (hello.ok && positive(hello.reply)) {
      out.ehloKeywords = ehloKeywords(hello.reply);
      out.starttlsOffered = hasKeyword(out.ehloKeywords, 'STARTTLS');
    }
    const helloError = expectPositive(hello, 'ehlo-rejected');
    if (helloError) return stop(plain, hello, helloError);
    out.stage = 'ehlo';

    if (!out.starttlsOffered) return await done(plain);

    step = 'starttls';
    const starttls = await plain.command('STARTTLS', ms(opts.timeouts.command));
    if (starttls.ok) out.starttlsReply = starttls.reply;
    const starttlsError = expectPositive(starttls, 'starttls-rejected');
    if (starttlsError) return stop(plain, starttls, starttlsError);
    out.stage = 'starttls';

    step = 'tls';
    const discarded = plain.release();
    if (discarded > 0) {
      transcript.note(`discarded ${discarded} bytes of plaintext received after the STARTTLS reply (RFC 3207 §6)`);
    }
    const handshake = await upgradeToTls(conn.socket, {
      servername: target.hostname,
      trust: target.sentChain ? TRUST_NOTHING : opts.trust,
      ...(opts.certificates ? { certificates: opts.certificates } : {}),
      timeoutMs: ms(opts.timeouts.tls),
      legacy,
    });
    if (!handshake.ok) {
      out.legacyMightHelp = handshake.legacyMightHelp;
      return fail(handshake);
    }
    sockets.push(handshake.socket);
    out.tls = handshake.details;
    transcript.note(`TLS established: ${handshake.details.protocol} ${handshake.details.cipher}`);
    out.stage = 'tls';

    const secure = new SmtpSession(handshake.socket, transcript);
    if (!opts.ehloAfterTls) {
      // Nothing the policy or the saved result's verdicts use comes after the handshake: the
      // post-TLS EHLO only lists keywords (shown by --format detail). Skipping it saves a
      // round trip per probe; --ehlo-after-tls brings it back (docs/architecture.md).
      return await done(secure);
    }

    step = 'ehlo-tls';
    const helloTls = await secure.command(`EHLO ${opts.ehloName}`, ms(opts.timeouts.command));
    const helloTlsError = expectPositive(helloTls, 'ehlo-rejected');
    if (helloTlsError) return stop(secure, helloTls, helloTlsError);
    if (helloTls.ok) out.ehloTlsKeywords = ehloKeywords(helloTls.reply);
    out.stage = 'ehlo-tls';
    return await done(secure);
  } catch (err) {
    return fail(classifyThrown(err));
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}
