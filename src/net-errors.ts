// The one table from Node's and OpenSSL's error codes to what happened on the wire, for every
// connection mxtls makes: the SMTP session (src/probe/failure-codes.ts), the TLS handshake
// (src/tls/handshake.ts) and the MTA-STS policy fetch (src/mta-sts/fetch-policy.ts). Each protocol
// then names the cause in its own vocabulary, by the stage it was at; the code itself is read
// here only, so ETIMEDOUT means a timeout everywhere.

/** What a Node or OpenSSL error says happened, whatever the protocol on top. */
export const NET_ERROR_CAUSES = ['dns', 'refused', 'timeout', 'unreachable', 'reset', 'closed', 'tls', 'other'] as const;
export type NetErrorCause = (typeof NET_ERROR_CAUSES)[number];

const CAUSE_BY_CODE: Readonly<Record<string, NetErrorCause>> = {
  // getaddrinfo: the name did not resolve (only the MTA-STS fetch resolves through the system).
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NODATA: 'dns',
  EAI_NONAME: 'dns',
  ECONNREFUSED: 'refused',
  // The kernel gave up retransmitting (SYN or data).
  ETIMEDOUT: 'timeout',
  // Routing problems on our side or the path: they say nothing about the server itself.
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  EAFNOSUPPORT: 'unreachable',
  ECONNRESET: 'reset',
  ECONNABORTED: 'reset',
  // Writing after the peer went away.
  EPIPE: 'closed',
  ERR_STREAM_WRITE_AFTER_END: 'closed',
  ERR_STREAM_DESTROYED: 'closed',
  ERR_SOCKET_CLOSED: 'closed',
  // Node's own TLS checks: minDHSize, the name on a verified certificate.
  ERR_TLS_DH_PARAM_SIZE: 'tls',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
  // OpenSSL's certificate verification results, as Node passes them through when it refuses a
  // chain (rejectUnauthorized: the MTA-STS fetch); node/src/crypto/crypto_common.cc.
  ...Object.fromEntries(
    [
      'UNABLE_TO_GET_ISSUER_CERT',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
      'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
      'CERT_SIGNATURE_FAILURE',
      'CERT_NOT_YET_VALID',
      'CERT_HAS_EXPIRED',
      'ERROR_IN_CERT_NOT_BEFORE_FIELD',
      'ERROR_IN_CERT_NOT_AFTER_FIELD',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'CERT_CHAIN_TOO_LONG',
      'CERT_REVOKED',
      'INVALID_CA',
      'PATH_LENGTH_EXCEEDED',
      'INVALID_PURPOSE',
      'CERT_UNTRUSTED',
      'CERT_REJECTED',
      'HOSTNAME_MISMATCH',
    ].map((code) => [code, 'tls' as const]),
  ),
};

/** The code of a thrown or emitted error, when it carries a string one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/**
 * The cause of an error. OpenSSL's own errors (ERR_SSL_...) are TLS failures, whatever they say.
 * Node reports a plain close during a TLS handshake as ECONNRESET too ("Client network socket
 * disconnected before secure TLS connection was established") but without the failed syscall a
 * real RST carries: that is the server hanging up, not a reset.
 */
export function netErrorCause(err: unknown): NetErrorCause {
  const code = errorCode(err);
  if (code === undefined) return 'other';
  if (code === 'ECONNRESET' && !(typeof err === 'object' && err !== null && 'syscall' in err && err.syscall)) return 'closed';
  if (code.startsWith('ERR_SSL_')) return 'tls';
  return CAUSE_BY_CODE[code] ?? 'other';
}
