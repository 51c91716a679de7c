// Probe failures of the SMTP session: what src/net-errors.ts says happened, named in the probe's
// vocabulary (ARCHITECTURE principle 3). The TLS handshake names its own (src/tls/handshake.ts).
import { errorCode, netErrorCause, type NetErrorCause } from '../net-errors.js';
import type { ProbeFailureKind } from '../types.js';

const KIND_BY_CAUSE: Readonly<Record<NetErrorCause, ProbeFailureKind>> = {
  // The session resolves nothing itself; a name error here is not the server's doing.
  dns: 'io-error',
  refused: 'connect-refused',
  // An established connection that dies of retransmit timeouts is rare enough that calling it
  // a connect timeout misleads nobody.
  timeout: 'connect-timeout',
  unreachable: 'network-unreachable',
  reset: 'connection-reset',
  closed: 'connection-closed',
  // e.g. a TLS 1.3 alert that arrives after the client considered the handshake done.
  tls: 'tls-handshake-failed',
  other: 'io-error',
};

export interface ClassifiedError {
  kind: ProbeFailureKind;
  message: string;
  code?: string;
  stack?: string;
}

/**
 * Classifies what a probe's own code threw: a Node error (it carries a code) is the network's
 * doing; anything else (a TypeError, a RangeError...) is a bug in mxtls and says so.
 */
export function classifyThrown(err: unknown): ClassifiedError {
  if (errorCode(err) !== undefined) return { ...classifyError(err), kind: 'io-error' };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal-error', message, ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) };
}

/** Classifies anything thrown or emitted as an 'error' event. */
export function classifyError(err: unknown): ClassifiedError {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return { kind: KIND_BY_CAUSE[netErrorCause(err)], message, ...(code !== undefined ? { code } : {}) };
}

/** Failures that say this machine cannot reach the address family at all (no IPv6 route...):
 *  reported, but they say nothing about the server. */
const UNREACHABLE_FROM_HERE: ReadonlySet<ProbeFailureKind> = new Set(['network-unreachable']);

export function isUnreachableFromHere(probe: { failure?: { kind: ProbeFailureKind } }): boolean {
  return probe.failure !== undefined && UNREACHABLE_FROM_HERE.has(probe.failure.kind);
}
