import { describe, expect, it } from 'vitest';
import type { MailLogSummary } from '../../src/maillog/aggregate.js';
import { deliveryMessage as sent, logWriter, summarize, tlsMessage as tls, type Stamp } from '../helpers/maillog.js';


function row(summary: MailLogSummary, domain: string) {
  return summary.domains.find((r) => r.domain === domain);
}

const GOOGLE = 'gmail-smtp-in.l.google.com[142.250.27.26]:25';

// Written by Postfix 3.7.11 (maillog_file) sending to loopback smtpd listeners: .31 with TLS,
// .32 without STARTTLS, .33 offering STARTTLS under policy "none"; connection caching on, and
// reuse.example through a transport with smtp_tls_connection_reuse = yes (tlsproxy) and
// syslog_name = postfix/reuse. Note smtp[1999] delivering over a plaintext connection that
// smtp[1994] opened (conn_use=2, no line of its own), and tls.example never reused without tlsproxy.
const CAPTURED = [
  'Nov 22 01:02:24 client postfix/smtp[1989]: Trusted TLS connection established to 127.0.0.31[127.0.0.31]:2531: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256',
  'Nov 22 01:02:24 client postfix/smtp[1994]: 001C121097C: to=<a@plain.example>, relay=127.0.0.32[127.0.0.32]:2532, delay=0.18, delays=0.02/0.09/0/0.06, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 2210F210986)',
  'Nov 22 01:02:24 client postfix/smtp[1989]: EF6BA21097E: to=<B@TLS.Example>, relay=127.0.0.31[127.0.0.31]:2531, delay=0.2, delays=0.03/0.05/0.07/0.05, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 23EC9210987)',
  'Nov 22 01:02:24 client postfix/smtp[1989]: EF6BA21097E: to=<a@tls.example>, relay=127.0.0.31[127.0.0.31]:2531, delay=0.2, delays=0.03/0.05/0.07/0.05, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 23EC9210987)',
  'Nov 22 01:02:24 client postfix/smtp[1994]: Host offered STARTTLS: [127.0.0.33]',
  'Nov 22 01:02:24 client postfix/smtp[1989]: Trusted TLS connection established to 127.0.0.31[127.0.0.31]:2531: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256',
  'Nov 22 01:02:24 client postfix/smtp[1994]: 040CF210981: to=<a@offered.example>, relay=127.0.0.33[127.0.0.33]:2533, delay=0.19, delays=0/0.17/0/0.01, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 2E18021097C)',
  'Nov 22 01:02:24 client postfix/smtp[1994]: 040CF210981: to=<b@offered.example>, relay=127.0.0.33[127.0.0.33]:2533, delay=0.19, delays=0/0.17/0/0.01, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 2E18021097C)',
  'Nov 22 01:02:24 client postfix/smtp[1989]: 18B36210982: to=<B@TLS.Example>, relay=127.0.0.31[127.0.0.31]:2531, delay=0.12, delays=0.01/0.08/0.01/0.02, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 2F9C821097E)',
  'Nov 22 01:02:24 client postfix/smtp[1989]: 18B36210982: to=<a@tls.example>, relay=127.0.0.31[127.0.0.31]:2531, delay=0.12, delays=0.01/0.08/0.01/0.02, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 2F9C821097E)',
  'Nov 22 01:02:24 client postfix/smtp[1999]: 2C68C210987: to=<a@plain.example>, relay=127.0.0.32[127.0.0.32]:2532, conn_use=2, delay=0.05, delays=0.04/0/0/0.01, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 33F2A210981)',
  'Nov 22 01:02:24 client postfix/smtp[1994]: 3341421097C: to=<a@offered.example>, relay=127.0.0.33[127.0.0.33]:2533, conn_use=2, delay=0.02, delays=0.01/0/0/0.01, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 33D8D21097E)',
  'Nov 22 01:02:24 client postfix/smtp[1994]: 3341421097C: to=<b@offered.example>, relay=127.0.0.33[127.0.0.33]:2533, conn_use=2, delay=0.02, delays=0.01/0/0/0.01, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 33D8D21097E)',
  'Nov 22 01:02:24 client postfix/reuse/smtp[1998]: Trusted TLS connection established to 127.0.0.31[127.0.0.31]:2531: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256',
  'Nov 22 01:02:24 client postfix/reuse/smtp[2020]: Trusted TLS connection established to 127.0.0.31[127.0.0.31]:2531: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256',
  'Nov 22 01:02:24 client postfix/reuse/smtp[1998]: 11274210983: to=<a@reuse.example>, relay=127.0.0.31[127.0.0.31]:2531, delay=0.26, delays=0.03/0.11/0.11/0.01, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4ACF2210982)',
  'Nov 22 01:02:24 client postfix/reuse/smtp[2020]: 3E23F21097E: to=<a@reuse.example>, relay=127.0.0.31[127.0.0.31]:2531, delay=0.07, delays=0.01/0.04/0.01/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4D26221097C)',
  'Nov 22 01:02:24 client postfix/smtp[1989]: Trusted TLS connection established to 127.0.0.31[127.0.0.31]:2531: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256',
  'Nov 22 01:02:24 client postfix/smtp[1989]: 49F6C210981: to=<B@TLS.Example>, relay=127.0.0.31[127.0.0.31]:2531, delay=0.05, delays=0.01/0/0.04/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 542A521097C)',
  'Nov 22 01:02:24 client postfix/smtp[1989]: 49F6C210981: to=<a@tls.example>, relay=127.0.0.31[127.0.0.31]:2531, delay=0.05, delays=0.01/0/0.04/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 542A521097C)',
  'Nov 22 01:02:24 client postfix/smtp[1999]: 54E0E210982: to=<a@plain.example>, relay=127.0.0.32[127.0.0.32]:2532, conn_use=3, delay=0.01, delays=0.01/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5605121097C)',
  'Nov 22 01:02:24 client postfix/smtp[1994]: 589CB21097E: to=<a@offered.example>, relay=127.0.0.33[127.0.0.33]:2533, conn_use=3, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 592DE210981)',
  'Nov 22 01:02:24 client postfix/smtp[1994]: 589CB21097E: to=<b@offered.example>, relay=127.0.0.33[127.0.0.33]:2533, conn_use=3, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 592DE210981)',
  'Nov 22 01:02:24 client postfix/reuse/smtp[1998]: Trusted TLS connection reused to 127.0.0.31[127.0.0.31]:2531: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256',
  'Nov 22 01:02:24 client postfix/reuse/smtp[1998]: 5CEED21097E: to=<a@reuse.example>, relay=127.0.0.31[127.0.0.31]:2531, conn_use=2, delay=0.01, delays=0/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5DBFE210981)',
];

const PLAIN = 'mx.oldschool.example[198.51.100.20]:25';

describe('createMailLogAggregator', () => {
  it('reads a log Postfix wrote: TLS, plaintext, STARTTLS offered, cached connections', () => {
    expect(summarize(CAPTURED)).toEqual({
      tlsLogged: true,
      domains: [
        { domain: 'offered.example', messages: 6, deferred: 0, bounced: 0, plaintext: 6, starttlsOffered: 6, relays: ['127.0.0.33'], tls: {}, ciphers: [], tlsFailures: {} },
        { domain: 'tls.example', messages: 6, deferred: 0, bounced: 0, plaintext: 0, starttlsOffered: 0, relays: ['127.0.0.31'], tls: { Trusted: 6 }, ciphers: ['TLSv1.3 TLS_AES_256_GCM_SHA384'], tlsFailures: {} },
        { domain: 'plain.example', messages: 3, deferred: 0, bounced: 0, plaintext: 3, starttlsOffered: 0, relays: ['127.0.0.32'], tls: {}, ciphers: [], tlsFailures: {} },
        { domain: 'reuse.example', messages: 3, deferred: 0, bounced: 0, plaintext: 0, starttlsOffered: 0, relays: ['127.0.0.31'], tls: { Trusted: 3 }, ciphers: ['TLSv1.3 TLS_AES_256_GCM_SHA384'], tlsFailures: {} },
      ],
    });
  });

  it.each<Stamp>(['syslog', 'rfc3339'])('counts deliveries per domain and tells TLS from plaintext (%s timestamps)', (stamp) => {
    const log = logWriter(stamp);
    const s = summarize([
      log('postfix/smtpd', 100, 'connect from client.example[203.0.113.5]'),
      log('postfix/smtp', 201, tls(GOOGLE, 'Verified')),
      log('postfix/smtp', 201, sent('A1', 'a@gmail.com', GOOGLE)),
      log('postfix/smtp', 201, sent('A1', 'b@Gmail.COM', GOOGLE)),
      log('postfix/smtp', 202, sent('A2', 'c@oldschool.example', PLAIN)),
      log('postfix/local', 300, 'A3: to=<root@mail.example>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)'),
    ]);
    expect(s).toEqual({
      tlsLogged: true,
      domains: [
        { domain: 'gmail.com', messages: 2, deferred: 0, bounced: 0, plaintext: 0, starttlsOffered: 0, relays: ['gmail-smtp-in.l.google.com'], tls: { Verified: 2 }, ciphers: ['TLSv1.3 TLS_AES_256_GCM_SHA384'], tlsFailures: {} },
        { domain: 'oldschool.example', messages: 1, deferred: 0, bounced: 0, plaintext: 1, starttlsOffered: 0, relays: ['mx.oldschool.example'], tls: {}, ciphers: [], tlsFailures: {} },
      ],
    });
  });

  it('a reused connection is TLS only when Postfix logs it as a reused TLS connection', () => {
    const log = logWriter('syslog');
    const s = summarize([
      log('postfix/smtp', 201, tls(GOOGLE)),
      log('postfix/smtp', 201, sent('B1', 'a@gmail.com', GOOGLE)),
      // The next message on a cached TLS session (tlsproxy): Postfix logs "reused".
      log('postfix/smtp', 201, tls(GOOGLE, 'Trusted', 'reused')),
      log('postfix/smtp', 201, sent('B2', 'b@gmail.com', GOOGLE, 'sent', { connUse: 2 })),
      // A cached plaintext session picked up by this process: no TLS line, so the old one
      // (consumed by B2) must not carry over to B3.
      log('postfix/smtp', 201, sent('B3', 'c@gmail.com', GOOGLE, 'sent', { connUse: 3 })),
    ]);
    expect(row(s, 'gmail.com')).toMatchObject({ messages: 3, plaintext: 1 });
  });

  it('a TLS line covers its own message only, even on a later delivery to the same relay', () => {
    const log = logWriter('rfc3339');
    const s = summarize([
      log('postfix/smtp', 201, tls(GOOGLE)),
      log('postfix/smtp', 201, sent('C1', 'a@gmail.com', GOOGLE)),
      log('postfix/smtp', 201, sent('C2', 'b@gmail.com', GOOGLE)),
    ]);
    expect(row(s, 'gmail.com')).toMatchObject({ messages: 2, plaintext: 1 });
  });

  it('a delivery to another MX than the TLS line named is plaintext (fallback after mx1 failed)', () => {
    const log = logWriter('syslog');
    const s = summarize([
      log('postfix/smtp', 201, tls('mx1.example.com[192.0.2.1]:25')),
      log('postfix/smtp', 201, sent('D1', 'a@example.com', 'mx2.example.com[192.0.2.2]:25')),
      log('postfix/smtp', 201, sent('D1', 'b@example.com', 'mx2.example.com[192.0.2.2]:25')),
    ]);
    expect(row(s, 'example.com')).toMatchObject({ messages: 2, plaintext: 2, relays: ['mx2.example.com'] });
  });

  it('matches a TLS line to a relay logged in other case (Postfix lower-cases only the TLS line)', () => {
    const log = logWriter('syslog');
    const s = summarize([
      log('postfix/smtp', 201, tls('mx.example.org[2001:db8::25]:25')),
      log('postfix/smtp', 201, sent('E1', 'a@example.org', 'MX.Example.ORG[2001:DB8::25]:25')),
    ]);
    expect(row(s, 'example.org')).toMatchObject({ messages: 1, plaintext: 0 });
  });

  it('keeps interleaved processes, and equal PIDs on different hosts, apart', () => {
    const a = logWriter('syslog', 'out1');
    const b = logWriter('syslog', 'out2');
    const s = summarize([
      a('postfix/smtp', 500, tls(GOOGLE)),
      a('postfix/smtp', 501, sent('F1', 'x@gmail.com', GOOGLE)),
      b('postfix/smtp', 500, sent('F2', 'y@gmail.com', GOOGLE)),
      a('postfix-out/smtp', 500, sent('F3', 'z@gmail.com', GOOGLE)),
      a('postfix/smtp', 500, sent('F4', 'w@gmail.com', GOOGLE)),
    ]);
    // Only F4 is in the process that logged the TLS line.
    expect(row(s, 'gmail.com')).toMatchObject({ messages: 4, plaintext: 3 });
  });

  it('counts "Host offered STARTTLS" sessions as plaintext with STARTTLS on offer', () => {
    const log = logWriter('syslog');
    const s = summarize([
      log('postfix/smtp', 201, tls(GOOGLE)),
      log('postfix/smtp', 201, sent('G0', 'a@gmail.com', GOOGLE)),
      log('postfix/smtp', 202, 'Host offered STARTTLS: [mx.legacy.example]'),
      log('postfix/smtp', 202, sent('G1', 'a@legacy.example', 'mx.legacy.example[192.0.2.40]:25')),
      log('postfix/smtp', 202, sent('G1', 'b@legacy.example', 'mx.legacy.example[192.0.2.40]:25')),
      // The cached plaintext connection, reused without a line of its own.
      log('postfix/smtp', 202, sent('G2', 'c@legacy.example', 'mx.legacy.example[192.0.2.40]:25', 'sent', { connUse: 2 })),
      // Another host: the STARTTLS offer was about mx.legacy.example only.
      log('postfix/smtp', 202, sent('G3', 'd@other.example', 'mx.other.example[192.0.2.41]:25')),
    ]);
    expect(row(s, 'legacy.example')).toMatchObject({ messages: 3, plaintext: 3, starttlsOffered: 3 });
    expect(row(s, 'other.example')).toMatchObject({ messages: 1, plaintext: 1, starttlsOffered: 0 });
  });

  it('counts deferred and bounced attempts apart from messages, with their relays', () => {
    const log = logWriter('syslog');
    const s = summarize([
      log('postfix/smtp', 201, tls('mx1.example.net[192.0.2.11]:25')),
      log('postfix/smtp', 201, sent('H1', 'a@example.net', 'mx1.example.net[192.0.2.11]:25', 'deferred')),
      log('postfix/smtp', 201, sent('H1', 'b@example.net', 'mx1.example.net[192.0.2.11]:25', 'bounced')),
      log('postfix/smtp', 202, sent('H1', 'a@example.net', 'mx2.example.net[192.0.2.12]:25')),
      log('postfix/smtp', 203, sent('H2', 'a@only-deferred.example', 'mx.only-deferred.example[192.0.2.13]:25', 'deferred')),
      log('postfix/smtp', 203, 'H3: to=<z@unreachable.example>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.unreachable.example[192.0.2.14]:25: Connection timed out)'),
    ]);
    expect(row(s, 'example.net')).toEqual({
      domain: 'example.net',
      messages: 1,
      deferred: 1,
      bounced: 1,
      plaintext: 1,
      starttlsOffered: 0,
      relays: ['mx1.example.net', 'mx2.example.net'],
      tls: {},
      ciphers: [],
      // The server's own 4xx/5xx replies: not the TLS policy's doing.
      tlsFailures: {},
    });
    expect(row(s, 'only-deferred.example')).toMatchObject({ messages: 0, deferred: 1, plaintext: 0 });
    expect(row(s, 'unreachable.example')).toBeUndefined();
  });

  it('sorts by messages, most first, then by name', () => {
    const log = logWriter('syslog');
    const s = summarize([
      log('postfix/smtp', 1, sent('J1', 'a@b.example', 'mx.b.example[192.0.2.1]:25')),
      log('postfix/smtp', 1, sent('J2', 'a@c.example', 'mx.c.example[192.0.2.2]:25')),
      log('postfix/smtp', 1, sent('J2', 'b@c.example', 'mx.c.example[192.0.2.2]:25')),
      log('postfix/smtp', 1, sent('J3', 'a@a.example', 'mx.a.example[192.0.2.3]:25')),
      log('postfix/smtp', 1, sent('J4', 'a@d.example', 'mx.d.example[192.0.2.4]:25', 'deferred')),
    ]);
    expect(s.domains.map((r) => r.domain)).toEqual(['c.example', 'a.example', 'b.example', 'd.example']);
  });

  it('reports plaintext as unknown when the log has no TLS line at all (smtp_tls_loglevel = 0)', () => {
    const log = logWriter('syslog');
    const s = summarize([
      log('postfix/smtp', 1, sent('K1', 'a@gmail.com', GOOGLE)),
      log('postfix/smtp', 2, 'Host offered STARTTLS: [mx.legacy.example]'),
      log('postfix/smtp', 2, sent('K2', 'a@legacy.example', 'mx.legacy.example[192.0.2.40]:25')),
    ]);
    expect(s.tlsLogged).toBe(false);
    expect(row(s, 'gmail.com')).toMatchObject({ messages: 1, plaintext: null, starttlsOffered: 0 });
    expect(row(s, 'legacy.example')).toMatchObject({ plaintext: null, starttlsOffered: 1 });
  });
});
