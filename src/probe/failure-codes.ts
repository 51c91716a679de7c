// The one place where Node's error codes become probe failure kinds (ARCHITECTURE principle 3).
import type { ProbeFailureKind } from '../types.js';

const KIND_BY_CODE: Readonly<Record<string, ProbeFailureKind>> = {
  ECONNREFUSED: 'connect-refused',
  // The kernel gives up on SYN retransmits; an established connection that dies this way is
  // rare enough that calling it a connect timeout misleads nobody.
  ETIMEDOUT: 'connect-timeout',
  // Routing problems on our side or the path: they say nothing about the server itself.
  EHOSTUNREACH: 'network-unreachable',
  ENETUNREACH: 'network-unreachable',
  EHOSTDOWN: 'network-unreachable',
  ENETDOWN: 'network-unreachable',
  EADDRNOTAVAIL: 'network-unreachable',
  EAFNOSUPPORT: 'network-unreachable',
  ECONNRESET: 'connection-reset',
  ECONNABORTED: 'connection-reset',
  // Writing after the peer went away.
  EPIPE: 'connection-closed',
  ERR_STREAM_WRITE_AFTER_END: 'connection-closed',
  ERR_STREAM_DESTROYED: 'connection-closed',
  ERR_SOCKET_CLOSED: 'connection-closed',
};

/** The failure kind for a Node error code; OpenSSL errors are TLS failures; anything else io-error. */
export function failureKindForCode(code: string | undefined): ProbeFailureKind {
  if (code === undefined) return 'io-error';
  // e.g. a TLS 1.3 alert that arrives after the client considered the handshake done.
  if (code.startsWith('ERR_SSL_')) return 'tls-handshake-failed';
  return KIND_BY_CODE[code] ?? 'io-error';
}

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
  return { kind: failureKindForCode(code), message, ...(code !== undefined ? { code } : {}) };
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/** Failures that say this machine cannot reach the address family at all (no IPv6 route...):
 *  reported, but they say nothing about the server. */
const UNREACHABLE_FROM_HERE: ReadonlySet<ProbeFailureKind> = new Set(['network-unreachable']);

export function isUnreachableFromHere(probe: { failure?: { kind: ProbeFailureKind } }): boolean {
  return probe.failure !== undefined && UNREACHABLE_FROM_HERE.has(probe.failure.kind);
}
