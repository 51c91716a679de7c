// A later retry of transient answers (issue 16): a busy server's 4xx greeting (`421 4.7.0 too
// many connections`), greylisting-style 4xx to EHLO on a first connection, and 421 ("service
// not available, closing transmission channel", RFC 5321 §4.2.3) wherever it comes before TLS.
// RFC 5321 §4.2.1: 4yz is a transient negative completion, "the command may be repeated". Not
// retried: 5yz, TLS failures, timeouts (a second try would say the same, or cost another
// timeout), and a 454 to STARTTLS: Postfix answers it when its certificate or key cannot be
// loaded, which lasts until someone fixes the server.
import type { AddressProbe, EarlierAttempt } from '../types.js';

const TRANSIENT_STAGES = new Set<string>(['greeting', 'ehlo']);

/** The transient answer that ended this probe, if one did. */
export function transientAnswer(probe: AddressProbe): Omit<EarlierAttempt, 'startedAt'> | undefined {
  const f = probe.failure;
  if (!f?.reply) return undefined;
  const transient = f.reply.code === 421 ? f.stage === 'starttls' || TRANSIENT_STAGES.has(f.stage) : f.reply.code >= 400 && f.reply.code < 500 && TRANSIENT_STAGES.has(f.stage);
  return transient ? { stage: f.stage, reply: f.reply } : undefined;
}

/** Waits before a retry; resolves false when the run was aborted instead. */
export type RetryPause = (seconds: number) => Promise<boolean>;

/**
 * The pauses of one run: each waits `seconds` and up to a quarter more (so addresses refused
 * together do not come back together; never less, so a server that asked for 30 s is not back
 * sooner), or until `signal` aborts: an interrupted run does not retry. One abort listener
 * serves every pause (a listener each would pass Node's limit of 10 and warn on stderr).
 */
export function retryPauses(signal?: AbortSignal): RetryPause {
  const waiting = new Set<() => void>();
  signal?.addEventListener(
    'abort',
    () => {
      for (const stop of waiting) stop();
      waiting.clear();
    },
    { once: true },
  );
  return (seconds) => {
    if (signal?.aborted) return Promise.resolve(false);
    const ms = seconds * 1000 * (1 + Math.random() * 0.25);
    return new Promise((resolve) => {
      const stop = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        waiting.delete(stop);
        resolve(true);
      }, ms);
      waiting.add(stop);
    });
  };
}
