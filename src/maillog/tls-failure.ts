// Why Postfix's smtp client deferred or bounced a delivery because of TLS: its own texts, the
// reason in parentheses after status= (smtp_proto.c, smtp_tls_policy.c; Postfix 3.7-3.11). Only
// a reason that starts with one of them counts: a server's reply is logged as "host X said: ...",
// so nothing a remote server writes can pose as one.

/** One closed vocabulary: each code is one way a TLS policy stops a delivery. */
export const TLS_FAILURES = ['not-offered', 'starttls-refused', 'handshake', 'not-verified', 'not-trusted', 'dane'] as const;
export type TlsFailure = (typeof TLS_FAILURES)[number];

const REASONS: ReadonlyArray<[RegExp, TlsFailure]> = [
  // smtp_proto.c: encrypt or above and no STARTTLS in the EHLO reply (dsn 4.7.4).
  [/^TLS is required, but was not offered by host /, 'not-offered'],
  // smtp_proto.c: STARTTLS answered with an error reply.
  [/^TLS is required, but host \S+ refused to start TLS: /, 'starttls-refused'],
  // smtp_proto.c: the handshake failed at a level that must not fall back to plaintext.
  [/^Cannot start TLS: handshake failure/, 'handshake'],
  // smtp_proto.c: verify, secure, dane, dane-only or fingerprint, and the certificate (or, for
  // DANE, the TLSA records) did not match: Postfix has no separate text for "no matching TLSA".
  [/^Server certificate not verified/, 'not-verified'],
  // Older Postfix (2.x-3.x before the match/trust split) for a certificate not trusted.
  [/^Server certificate not trusted/, 'not-trusted'],
  // smtp_tls_policy.c, dane-only: no usable TLSA records, so no connection is even tried.
  [/^(?:no TLSA records found|TLSA records unusable|non DNSSEC destination|TLSA lookup error for )/, 'dane'],
];

/** The TLS failure a delivery's reason text names, or undefined for any other reason. */
export function tlsFailureOf(reason: string): TlsFailure | undefined {
  return REASONS.find(([pattern]) => pattern.test(reason))?.[1];
}
