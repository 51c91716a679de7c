import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../src/maillog/parse-line.js';
import { tlsFailureOf } from '../../src/maillog/tls-failure.js';
import { AUDIT_LOG } from '../helpers/postfix-audit-log.js';

describe('tlsFailureOf: Postfix\'s own deferral texts', () => {
  it.each([
    ['TLS is required, but was not offered by host mx.nostarttls.postfix.test[127.0.0.65]', 'not-offered'],
    ['TLS is required, but host mx.example.com[192.0.2.1] refused to start TLS: 454 4.7.0 TLS not available due to local problem', 'starttls-refused'],
    ['Cannot start TLS: handshake failure', 'handshake'],
    ['Server certificate not verified', 'not-verified'],
    ['Server certificate not trusted', 'not-trusted'],
    ['no TLSA records found', 'dane'],
    ['TLSA records unusable', 'dane'],
    ['non DNSSEC destination', 'dane'],
    ['TLSA lookup error for mx.example.com:25', 'dane'],
  ])('%s → %s', (reason, code) => {
    expect(tlsFailureOf(reason)).toBe(code);
  });

  it.each([
    // A server's reply carrying the same words is the server's, not the policy's.
    'host mx.example.com[192.0.2.1] said: 451 4.7.1 TLS is required, but was not offered by host x (in reply to RCPT TO command)',
    'host mx.example.com[192.0.2.1] said: 550 5.7.1 Server certificate not verified (in reply to end of DATA command)',
    'connect to mx.example.com[192.0.2.1]:25: Connection refused',
    'lost connection with mx.example.com[192.0.2.1] while receiving the initial server greeting',
  ])('not a TLS failure: %s', (reason) => {
    expect(tlsFailureOf(reason)).toBeUndefined();
  });
});

describe('parseLogLine: TLS failures in delivery lines', () => {
  it('reads the two deferrals Postfix 3.7.11 logged in the audit interop test', () => {
    const events = AUDIT_LOG.map(parseLogLine).filter((e) => e?.kind === 'delivery');
    expect(events.map((e) => [e!.domain, e!.status, e!.tlsFailure])).toEqual([
      ['expired.postfix.test', 'sent', undefined],
      ['valid.postfix.test', 'sent', undefined],
      ['nostarttls.postfix.test', 'deferred', 'not-offered'],
      ['selfsigned.postfix.test', 'deferred', 'not-verified'],
      ['mismatch.postfix.test', 'sent', undefined],
    ]);
  });

  it('keeps relay=none only when the TLS policy stopped the delivery (dane-only, no TLSA)', () => {
    const dane = 'Dec 04 23:36:13 client postfix/smtp[5]: 11AA: to=<a@dane.example>, relay=none, delay=0.1, delays=0/0/0.1/0, dsn=4.7.5, status=deferred (no TLSA records found)';
    expect(parseLogLine(dane)).toEqual({ kind: 'delivery', process: 'client postfix/smtp[5]', queueId: '11AA', domain: 'dane.example', status: 'deferred', tlsFailure: 'dane' });
    const timeout = 'Dec 04 23:36:13 client postfix/smtp[5]: 11AB: to=<a@gone.example>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.gone.example[192.0.2.8]:25: Connection timed out)';
    expect(parseLogLine(timeout)).toBeUndefined();
  });

  it('a bounce for TLS counts too', () => {
    const bounce = 'Dec 04 23:36:13 client postfix/smtp[6]: 22BB: to=<a@strict.example>, relay=mx.strict.example[192.0.2.9]:25, delay=5, delays=0/0/5/0, dsn=5.7.4, status=bounced (TLS is required, but was not offered by host mx.strict.example[192.0.2.9])';
    expect(parseLogLine(bounce)).toMatchObject({ status: 'bounced', tlsFailure: 'not-offered', relayHost: 'mx.strict.example' });
  });
});
