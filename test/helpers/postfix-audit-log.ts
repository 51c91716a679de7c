// Written by Postfix 3.7.11 (test/interop/postfix-audit.test.ts, smtp_tls_note_starttls_offer =
// yes, smtp_tls_loglevel = 1) under AUDIT_POLICY: valid verified; selfsigned deferred by its
// verify line; nostarttls deferred by its encrypt line; mismatch sent in plaintext under `none`
// though it offers STARTTLS; expired (no line) over Untrusted TLS. Note smtp[12773] delivering
// to expired over TLS, then to mismatch in plaintext after its "Host offered STARTTLS" line.
export const AUDIT_LOG = [
  'Dec 04 23:36:13 client postfix/smtp[12773]: Untrusted TLS connection established to mx.expired.postfix.test[127.0.0.63]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256',
  'Dec 04 23:36:13 client postfix/smtp[12775]: Verified TLS connection established to mx.valid.postfix.test[127.0.0.61]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256',
  'Dec 04 23:36:13 client postfix/smtp[12773]: 8671520E239: to=<audit@expired.postfix.test>, relay=mx.expired.postfix.test[127.0.0.63]:25, delay=0.16, delays=0.09/0.03/0.01/0.03, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9DD8A20E23D)',
  'Dec 04 23:36:13 client postfix/smtp[12775]: 947A520E235: to=<audit@valid.postfix.test>, relay=mx.valid.postfix.test[127.0.0.61]:25, delay=0.25, delays=0.18/0.03/0.02/0.02, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as A19AE20E23E)',
  'Dec 04 23:36:13 client postfix/smtp[12781]: 9667220E237: to=<audit@nostarttls.postfix.test>, relay=mx.nostarttls.postfix.test[127.0.0.65]:25, delay=0.15, delays=0.07/0.08/0/0, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host mx.nostarttls.postfix.test[127.0.0.65])',
  'Dec 04 23:36:13 client postfix/smtp[12773]: Host offered STARTTLS: [mx.mismatch.postfix.test]',
  'Dec 04 23:36:13 client postfix/smtp[12777]: certificate verification failed for mx.selfsigned.postfix.test[127.0.0.62]:25: self-signed certificate',
  'Dec 04 23:36:13 client postfix/smtp[12777]: Untrusted TLS connection established to mx.selfsigned.postfix.test[127.0.0.62]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256',
  'Dec 04 23:36:13 client postfix/smtp[12777]: 94F3C20E234: to=<audit@selfsigned.postfix.test>, relay=mx.selfsigned.postfix.test[127.0.0.62]:25, delay=0.22, delays=0.09/0.1/0.03/0, dsn=4.7.5, status=deferred (Server certificate not verified)',
  'Dec 04 23:36:13 client postfix/smtp[12773]: 9557F20E236: to=<audit@mismatch.postfix.test>, relay=mx.mismatch.postfix.test[127.0.0.64]:25, delay=0.21, delays=0.08/0.1/0.03/0.01, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as B40EE20E241)',
];

export const AUDIT_POLICY = [
  '# written by hand for the audit interop test',
  'valid.postfix.test verify',
  'selfsigned.postfix.test verify',
  'nostarttls.postfix.test encrypt',
  'mismatch.postfix.test none',
  '',
].join('\n');
