import { describe, expect, it } from 'vitest';
import { auditMailLog, policyDefersMail } from '../../src/maillog/audit.js';
import { renderAuditTable } from '../../src/maillog/audit-render.js';
import { parsePolicyMapSource } from '../../src/policy/policy-map-source.js';
import { AUDIT_LOG, AUDIT_POLICY } from '../helpers/postfix-audit-log.js';
import { deliveryMessage as sent, logWriter, summarize, tlsMessage as tls } from '../helpers/maillog.js';


const findings = (report: ReturnType<typeof auditMailLog>) => Object.fromEntries(report.domains.map((r) => [r.domain, r.findings]));

describe('auditMailLog on the log Postfix 3.7.11 wrote in the interop test', () => {
  const report = auditMailLog(summarize(AUDIT_LOG), parsePolicyMapSource(AUDIT_POLICY));

  it('holds each domain against its line: two lines defer mail, one none line passes up STARTTLS', () => {
    expect(findings(report)).toEqual({
      'mismatch.postfix.test': ['plaintext-starttls-offered'],
      'nostarttls.postfix.test': ['line-defers'],
      'selfsigned.postfix.test': ['line-defers'],
      'expired.postfix.test': [],
      'valid.postfix.test': [],
    });
    expect(policyDefersMail(report)).toBe(true);
  });

  it('rows with findings come first; each carries the TLS used and its line', () => {
    expect(report.domains.map((r) => r.domain)).toEqual(['mismatch.postfix.test', 'nostarttls.postfix.test', 'selfsigned.postfix.test', 'expired.postfix.test', 'valid.postfix.test']);
    expect(report.domains.find((r) => r.domain === 'valid.postfix.test')).toMatchObject({
      messages: 1,
      tls: { Verified: 1 },
      ciphers: ['TLSv1.3 TLS_AES_256_GCM_SHA384'],
      line: 'verify',
      lineKey: 'valid.postfix.test',
    });
    expect(report.domains.find((r) => r.domain === 'expired.postfix.test')).toMatchObject({ tls: { Untrusted: 1 }, line: null, lineKey: null });
  });

  it('the table names the lines that defer mail, in words', () => {
    const table = renderAuditTable(report);
    expect(table).toContain('selfsigned.postfix.test: the line "selfsigned.postfix.test verify" deferred or bounced 1 delivery (certificate not verified 1)');
    expect(table).toContain('nostarttls.postfix.test: the line "nostarttls.postfix.test encrypt" deferred or bounced 1 delivery (TLS required, STARTTLS not offered 1)');
    expect(table).toContain('mismatch.postfix.test: 1 delivery sent in plaintext to a host that offered STARTTLS (line "none")');
    expect(table.split('\n')[0]).toMatch(/^domain +sent +TLS used +protocol and cipher +offered +deferred +bounced +TLS failures +policy line$/);
  });

  it('without the two strict lines, the same deferrals are TLS\'s, not the file\'s, and still fail the audit', () => {
    const loose = auditMailLog(summarize(AUDIT_LOG), parsePolicyMapSource('valid.postfix.test verify\n'));
    expect(findings(loose)['selfsigned.postfix.test']).toEqual(['tls-defers']);
    expect(policyDefersMail(loose)).toBe(true);
    expect(renderAuditTable(loose)).toContain('the policy file has no line for it');
  });

  it('without --policy: no line column, deferrals still count', () => {
    const bare = auditMailLog(summarize(AUDIT_LOG));
    expect(bare.policyGiven).toBe(false);
    expect(findings(bare)['nostarttls.postfix.test']).toEqual(['tls-defers']);
    expect(renderAuditTable(bare).split('\n')[0]).not.toContain('policy line');
  });
});

describe('auditMailLog: lines the log contradicts', () => {
  const log = logWriter('syslog');
  const GOOGLE = 'gmail-smtp-in.l.google.com[142.250.27.26]:25';
  const PLAIN = 'mx.legacy.example[198.51.100.20]:25';
  const lines = [
    log('postfix/smtp', 1, tls(GOOGLE, 'Trusted')),
    log('postfix/smtp', 1, sent('A1', 'a@gmail.com', GOOGLE)),
    log('postfix/smtp', 2, sent('A2', 'a@legacy.example', PLAIN)),
    log('postfix/smtp', 3, tls(GOOGLE, 'Verified')),
    log('postfix/smtp', 3, sent('A3', 'b@gmail.com', GOOGLE)),
  ];

  it('a verify line with Trusted deliveries, an encrypt line with plaintext ones: Postfix was not using the file', () => {
    const report = auditMailLog(summarize(lines), parsePolicyMapSource('gmail.com verify\nlegacy.example encrypt\n'));
    expect(findings(report)).toEqual({ 'gmail.com': ['line-not-in-force'], 'legacy.example': ['line-not-in-force'] });
    // Not a deferral: the exit code says the policy defers nothing.
    expect(policyDefersMail(report)).toBe(false);
  });

  it.each(['may', 'dane'])('the same deliveries agree with an encrypt line and a %s line (dane without TLSA falls back to may)', (level) => {
    const report = auditMailLog(summarize(lines), parsePolicyMapSource(`gmail.com encrypt\nlegacy.example ${level}\n`));
    expect(findings(report)).toEqual({ 'gmail.com': [], 'legacy.example': [] });
  });
});

describe('auditMailLog: deferrals the current line would not cause', () => {
  it('a verify deferral under today\'s encrypt line is history, not the line\'s doing, and does not fail the audit', () => {
    const report = auditMailLog(summarize(AUDIT_LOG), parsePolicyMapSource('selfsigned.postfix.test encrypt\nnostarttls.postfix.test may\n'));
    expect(findings(report)['selfsigned.postfix.test']).toEqual(['deferred-under-another-line']);
    expect(findings(report)['nostarttls.postfix.test']).toEqual(['deferred-under-another-line']);
    expect(policyDefersMail(report)).toBe(false);
    expect(renderAuditTable(report)).toContain('which the line "selfsigned.postfix.test encrypt" would not: the policy changed since');
  });

  it('the same deferral under a secure or dane line is the line\'s', () => {
    for (const level of ['secure', 'dane', 'fingerprint']) {
      const report = auditMailLog(summarize(AUDIT_LOG), parsePolicyMapSource(`selfsigned.postfix.test ${level}\n`));
      expect(findings(report)['selfsigned.postfix.test'], level).toEqual(['line-defers']);
    }
  });
});
