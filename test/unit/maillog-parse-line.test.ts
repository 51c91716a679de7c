import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../src/maillog/parse-line.js';
import { deliveryMessage, logWriter, tlsMessage } from '../helpers/maillog.js';

const SENT =
  '4ABC123DEF: to=<alice@example.com>, relay=mx1.example.com[192.0.2.1]:25, delay=0.81, delays=0.1/0.01/0.3/0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XYZ)';

describe('parseLogLine: delivery lines', () => {
  it.each([
    ['traditional syslog', `Nov 21 02:00:00 mail postfix/smtp[2811]: ${SENT}`],
    ['space-padded day', `Nov  1 02:00:00 mail postfix/smtp[2811]: ${SENT}`],
    ['RFC 3339 (rsyslog)', `2026-11-21T02:00:00.123456+00:00 mail postfix/smtp[2811]: ${SENT}`],
    ['RFC 3339 (journalctl short-iso)', `2026-11-21T02:00:00+0000 mail postfix/smtp[2811]: ${SENT}`],
    ['RFC 3339 in UTC', `2026-11-21T02:00:00Z mail postfix/smtp[2811]: ${SENT}`],
  ])('%s', (_name, line) => {
    expect(parseLogLine(line)).toEqual({
      kind: 'delivery',
      process: 'mail postfix/smtp[2811]',
      queueId: '4ABC123DEF',
      domain: 'example.com',
      relayHost: 'mx1.example.com',
      relayIp: '192.0.2.1',
      relayPort: 25,
      status: 'sent',
    });
  });

  it('reads orig_to, conn_use, long queue ids and the Postfix 3.11 tls= field', () => {
    const line =
      'Aug 24 09:20:50 wzv postfix/smtp[2009999]: 4c8vgk2lXhzNcrX: to=<wietse@Porcupine.ORG>, orig_to=<wietse>, ' +
      'relay=spike.porcupine.org[168.100.3.2]:25, conn_use=2, delay=0.31, delays=0.06/0.05/0.07/0.12, tls=may, dsn=2.0.0, ' +
      'status=sent (250 2.0.0 Ok: queued as 4c8vgk3xlZzJrNm)';
    expect(parseLogLine(line)).toMatchObject({ queueId: '4c8vgk2lXhzNcrX', domain: 'porcupine.org', relayHost: 'spike.porcupine.org', status: 'sent' });
  });

  it('keeps deferred and bounced attempts, with their relay', () => {
    const log = logWriter('syslog');
    expect(parseLogLine(log('postfix/smtp', 7, deliveryMessage('5F00', 'bob@example.net', 'mx.example.net[198.51.100.7]:25', 'deferred')))).toMatchObject({
      status: 'deferred',
      relayHost: 'mx.example.net',
    });
    expect(parseLogLine(log('postfix/smtp', 7, deliveryMessage('5F01', 'bob@example.net', 'mx.example.net[198.51.100.7]:25', 'bounced')))).toMatchObject({
      status: 'bounced',
    });
  });

  it('names the process by host, tag and PID, for multi-instance and per-service syslog names', () => {
    const line = (host: string, tag: string) => `Nov 21 02:00:00 ${host} ${tag}[99]: ${SENT}`;
    expect(parseLogLine(line('mail', 'postfix-out/smtp'))?.process).toBe('mail postfix-out/smtp[99]');
    expect(parseLogLine(line('mail', 'postfix/relay/smtp'))?.process).toBe('mail postfix/relay/smtp[99]');
    expect(parseLogLine(line('mx2', 'postfix/smtp'))?.process).toBe('mx2 postfix/smtp[99]');
  });

  it.each([
    ['Example.COM.', 'example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['XN--BCHER-KVA.example', 'xn--bcher-kva.example'],
  ])('recipient domain %s → %s', (domain, expected) => {
    const line = `Nov 21 02:00:00 mail postfix/smtp[1]: ${deliveryMessage('AB12', `"odd@local"@${domain}`, 'mx.example.com[192.0.2.1]:25')}`;
    expect(parseLogLine(line)).toMatchObject({ domain: expected });
  });

  it('lower-cases the relay and reads IPv6 relays and relays logged without a port', () => {
    const v6 = `Nov 21 02:00:00 mail postfix/smtp[1]: ${deliveryMessage('AB12', 'a@example.org', 'MX.Example.ORG[2001:DB8::25]:25')}`;
    expect(parseLogLine(v6)).toMatchObject({ relayHost: 'mx.example.org', relayIp: '2001:db8::25', relayPort: 25 });
    const old = `Nov 21 02:00:00 mail postfix/smtp[1]: ${deliveryMessage('AB12', 'a@example.org', 'mx.example.org[192.0.2.9]')}`;
    expect(parseLogLine(old)).toMatchObject({ relayIp: '192.0.2.9', relayPort: undefined });
  });

  it.each([
    ['local delivery', 'Nov 21 02:00:00 mail postfix/local[30]: 4ABC: to=<root@mail.example.com>, orig_to=<root>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)'],
    ['virtual delivery', 'Nov 21 02:00:00 mail postfix/virtual[31]: 4ABC: to=<u@hosted.example>, relay=virtual, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to maildir)'],
    ['pipe delivery', 'Nov 21 02:00:00 mail postfix/pipe[32]: 4ABC: to=<u@hosted.example>, relay=dovecot, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered via dovecot service)'],
    ['lmtp delivery', 'Nov 21 02:00:00 mail postfix/lmtp[33]: 4ABC: to=<u@hosted.example>, relay=mail.example.com[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)'],
    ['lmtp over TCP', 'Nov 21 02:00:00 mail postfix/lmtp[33]: 4ABC: to=<u@hosted.example>, relay=imap.example.com[192.0.2.5]:24, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)'],
    ['relay=none', 'Nov 21 02:00:00 mail postfix/smtp[34]: 4ABC: to=<u@gone.example>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.gone.example[192.0.2.8]:25: Connection timed out)'],
    ['address verification probe', 'Nov 21 02:00:00 mail postfix/smtp[35]: 4ABC: to=<u@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.1.5, status=deliverable (250 2.1.5 Ok)'],
    ['recipient without a domain', `Nov 21 02:00:00 mail postfix/smtp[36]: ${deliveryMessage('4ABC', 'root', 'mx.example.com[192.0.2.1]:25')}`],
    ['address literal', `Nov 21 02:00:00 mail postfix/smtp[36]: ${deliveryMessage('4ABC', 'u@[192.0.2.1]', 'mx.example.com[192.0.2.1]:25')}`],
    ['smtpd', 'Nov 21 02:00:00 mail postfix/smtpd[40]: connect from client.example[203.0.113.5]'],
    ['smtpd TLS', 'Nov 21 02:00:00 mail postfix/smtpd[40]: Anonymous TLS connection established from client.example[203.0.113.5]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)'],
    ['qmgr', 'Nov 21 02:00:00 mail postfix/qmgr[41]: 4ABC: from=<a@example.com>, size=1234, nrcpt=1 (queue active)'],
    ['another program', 'Nov 21 02:00:00 mail dovecot[42]: imap-login: Login: user=<u>'],
    ['no syslog prefix', SENT],
    ['a blank line', ''],
  ])('ignores %s', (_name, line) => {
    expect(parseLogLine(line)).toBeUndefined();
  });
});

describe('parseLogLine: TLS and STARTTLS lines', () => {
  it.each(['Anonymous', 'Untrusted', 'Trusted', 'Verified'])('%s TLS connection established', (trust) => {
    const line = `2026-11-21T02:00:00.000001+01:00 mail postfix/smtp[2811]: ${tlsMessage('mx1.example.com[192.0.2.1]:25', trust)}`;
    expect(parseLogLine(line)).toEqual({
      kind: 'tls',
      process: 'mail postfix/smtp[2811]',
      host: 'mx1.example.com',
      ip: '192.0.2.1',
      port: 25,
      trust,
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
    });
  });

  it('reads a TLS connection reused from the cache, to an IPv6 address', () => {
    const line = `Nov 21 02:00:00 mail postfix/smtp[5]: ${tlsMessage('mx.example.org[2001:db8::25]:25', 'Verified', 'reused')}`;
    expect(parseLogLine(line)).toMatchObject({ kind: 'tls', host: 'mx.example.org', ip: '2001:db8::25', trust: 'Verified' });
  });

  it('reads the older summary without key-exchange details', () => {
    const line =
      'Nov 21 02:00:00 mail postfix/smtp[5]: Untrusted TLS connection established to mx.example.org[192.0.2.3]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)';
    expect(parseLogLine(line)).toMatchObject({ trust: 'Untrusted', protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384' });
  });

  it('reads "Host offered STARTTLS"', () => {
    expect(parseLogLine('Nov 21 02:00:00 mail postfix-out/smtp[6]: Host offered STARTTLS: [MX.Example.NET]')).toEqual({
      kind: 'starttls-offered',
      process: 'mail postfix-out/smtp[6]',
      host: 'mx.example.net',
    });
  });
});
