// The interop tests judge real MTAs through two parsers; a parser that credits a plaintext
// delivery with another session's TLS line would let them pass wrongly. Lines as Postfix 3.7
// writes them.
import { describe, expect, it } from 'vitest';
import { parseDeliveries } from '../../fixtures/mta/maillog.js';
import { parseFingerOutput } from '../../fixtures/mta/posttls-finger.js';

const at = 'Nov 22 01:00:03 client';
const tlsLine = (pid: number, trust: string, relay: string) =>
  `${at} postfix/smtp[${pid}]: ${trust} TLS connection established to ${relay}: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256`;
const statusLine = (pid: number, rcpt: string, relay: string, status: string, detail: string) =>
  `${at} postfix/smtp[${pid}]: 3F2A1C0D2: to=<${rcpt}>, relay=${relay}, delay=0.1, delays=0.02/0.01/0.05/0.02, dsn=2.0.0, status=${status} (${detail})`;

const A = 'mx.a.test[127.0.0.61]:25';
const B = 'mx.b.test[127.0.0.65]:25';

describe('parseDeliveries', () => {
  it('gives a delivery the TLS line its own session logged before it', () => {
    const log = [tlsLine(10, 'Verified', A), statusLine(10, 'x@a.test', A, 'sent', '250 2.0.0 Ok: queued as 4B2C')].join('\n');
    expect(parseDeliveries(log)).toEqual([
      { recipient: 'x@a.test', status: 'sent', relay: A, detail: '250 2.0.0 Ok: queued as 4B2C', tls: { trust: 'Verified', protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' } },
    ]);
  });

  it('never lends a TLS line to another process, another relay or a later session', () => {
    const log = [
      tlsLine(10, 'Verified', A),
      statusLine(11, 'other-process@a.test', A, 'sent', 'ok'),
      statusLine(10, 'first@a.test', A, 'sent', 'ok'),
      statusLine(10, 'plaintext-later@a.test', A, 'sent', 'ok'),
      tlsLine(12, 'Trusted', A),
      statusLine(12, 'other-relay@b.test', B, 'sent', 'ok'),
    ].join('\n');
    expect(parseDeliveries(log).map((d) => [d.recipient, d.tls?.trust])).toEqual([
      ['other-process@a.test', undefined],
      ['first@a.test', 'Verified'],
      ['plaintext-later@a.test', undefined],
      ['other-relay@b.test', undefined],
    ]);
  });

  it('reads a deferral and its reason', () => {
    const log = [tlsLine(20, 'Untrusted', A), statusLine(20, 's@a.test', A, 'deferred', 'Server certificate not verified')].join('\n');
    expect(parseDeliveries(log)[0]).toMatchObject({ status: 'deferred', detail: 'Server certificate not verified', tls: { trust: 'Untrusted' } });
  });
});

describe('parseFingerOutput', () => {
  const ehlo = (keywords: string[]) => [
    'posttls-finger: Connected to 127.0.0.66[127.0.0.66]:25',
    'posttls-finger: < 220 mx.tls12.postfix.test ESMTP Postfix',
    'posttls-finger: > EHLO referee.mxtls.test',
    'posttls-finger: < 250-mx.tls12.postfix.test',
    ...keywords.map((k, i) => `posttls-finger: < 250${i === keywords.length - 1 ? ' ' : '-'}${k}`),
  ];

  it('reads the STARTTLS offer and the TLS summary line', () => {
    const output = [
      ...ehlo(['PIPELINING', 'STARTTLS', 'CHUNKING']),
      'posttls-finger: > STARTTLS',
      'posttls-finger: Verified TLS connection established to 127.0.0.66[127.0.0.66]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)',
    ].join('\n');
    expect(parseFingerOutput(output)).toMatchObject({ starttlsOffered: true, tls: { trust: 'Verified', protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384' } });
  });

  it('sees no offer when STARTTLS is not an EHLO keyword of its own', () => {
    const run = parseFingerOutput(ehlo(['PIPELINING', 'XSTARTTLS', 'CHUNKING']).join('\n'));
    expect(run.starttlsOffered).toBe(false);
    expect(run.tls).toBeUndefined();
  });

  it('takes STARTTLS as the last EHLO line too', () => {
    expect(parseFingerOutput(ehlo(['PIPELINING', 'STARTTLS']).join('\n')).starttlsOffered).toBe(true);
  });
});
