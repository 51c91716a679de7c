// `mxtls audit` on a log the suite's real Postfix wrote: a sending Postfix with
// smtp_tls_note_starttls_offer = yes delivers under a policy file with two lines too strict for
// their servers (verify for a self-signed certificate, encrypt for a server without STARTTLS)
// and one `none` line for a server that offers STARTTLS. audit must name each of them, and exit 1
// because the policy defers mail.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliRun } from '../../fixtures/cli-runner.js';
import type { Delivery } from '../../fixtures/mta/maillog.js';
import { type PostfixClient, startPostfixClient } from '../../fixtures/mta/postfix.js';
import type { AuditReport } from '../../src/maillog/audit.js';
import { AUDIT_POLICY } from '../helpers/postfix-audit-log.js';
import { interopSkipReason, type InteropEnv, startInteropEnv } from './environment.js';
import { POSTFIX_TARGETS } from './targets.js';

const skip = interopSkipReason();
const FROM = 'sender@client.mxtls.test';
const NAMES = ['valid', 'selfsigned', 'nostarttls', 'mismatch', 'expired'];
const targets = POSTFIX_TARGETS.filter((t) => NAMES.includes(t.name));

/** expired.postfix.test has no line: the global `may` applies (Untrusted TLS). */
const POLICY = AUDIT_POLICY;

describe.skipIf(skip !== undefined)(`mxtls audit of a real Postfix's log${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let env: InteropEnv | undefined;
  let client: PostfixClient | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mxtls-audit-interop-'));
  const logFile = join(dir, 'mail.log');
  const policyFile = join(dir, 'tls_policy');
  let table: CliRun;
  let json: CliRun;
  let report: AuditReport;
  const deliveries = new Map<string, Delivery>();

  beforeAll(async () => {
    env = await startInteropEnv(targets);
    client = await startPostfixClient({ caFile: env.caFile, policyMap: POLICY, resolvConf: env.resolvConf, main: { smtp_tls_note_starttls_offer: 'yes' } });
    const sender = client;
    await Promise.all(targets.map((t) => sender.send(FROM, `audit@${t.domain}`)));
    for (const t of targets) deliveries.set(t.domain, await sender.waitForDelivery(`audit@${t.domain}`));
    writeFileSync(logFile, client.log());
    writeFileSync(policyFile, POLICY);
    table = await cli(['audit', logFile, '--policy', policyFile]);
    json = await cli(['audit', logFile, '--policy', policyFile, '--format', 'json']);
    report = JSON.parse(json.stdout) as AuditReport;
  });

  afterAll(async () => {
    // The smtp client's lines audit read, for the record (and for the unit tests' samples).
    if (client) console.log(client.log().split('\n').filter((l) => / postfix\/smtp\[/.test(l)).join('\n'));
    if (table) console.log(`mxtls audit ${logFile} --policy ${policyFile} (exit ${table.code})\n${table.stdout}${table.stderr}`);
    await Promise.allSettled([client?.close(), env?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const row = (domain: string) => report.domains.find((r) => r.domain === domain);

  it('delivered and deferred as the policy file demands (the fixture did what it should)', () => {
    const status = Object.fromEntries([...deliveries].map(([d, x]) => [d, x.status]));
    expect(status).toEqual({
      'valid.postfix.test': 'sent',
      'selfsigned.postfix.test': 'deferred',
      'nostarttls.postfix.test': 'deferred',
      'mismatch.postfix.test': 'sent',
      'expired.postfix.test': 'sent',
    });
  });

  it('exits 1: the policy defers mail', () => {
    expect(table.code, table.stderr).toBe(1);
    expect(json.code, json.stderr).toBe(1);
  });

  it('reads the TLS actually used, with protocol and cipher', () => {
    expect(row('valid.postfix.test')).toMatchObject({ messages: 1, tls: { Verified: 1 }, findings: [] });
    expect(row('valid.postfix.test')!.ciphers[0]).toMatch(/^TLSv1\.[23] \S+$/);
    expect(row('expired.postfix.test')).toMatchObject({ messages: 1, tls: { Untrusted: 1 }, line: null, findings: [] });
  });

  it('names the verify line that defers mail to a self-signed server', () => {
    expect(row('selfsigned.postfix.test')).toMatchObject({ deferred: 1, messages: 0, line: 'verify', tlsFailures: { 'not-verified': 1 } });
    expect(row('selfsigned.postfix.test')!.findings).toEqual(['line-defers']);
  });

  it('names the encrypt line that defers mail to a server without STARTTLS', () => {
    expect(row('nostarttls.postfix.test')).toMatchObject({ deferred: 1, line: 'encrypt', tlsFailures: { 'not-offered': 1 } });
    expect(row('nostarttls.postfix.test')!.findings).toEqual(['line-defers']);
  });

  it('names the none line of a domain delivered in plaintext that offers STARTTLS (smtp_tls_note_starttls_offer)', () => {
    expect(row('mismatch.postfix.test')).toMatchObject({ messages: 1, plaintext: 1, starttlsOffered: 1, line: 'none' });
    expect(row('mismatch.postfix.test')!.findings).toEqual(['plaintext-starttls-offered']);
  });

  it('reads the same log gzipped, and from stdin', async () => {
    const gz = join(dir, 'mail.log.1.gz');
    writeFileSync(gz, gzipSync(client!.log()));
    const fromGzip = await cli(['audit', gz, '--policy', policyFile, '--format', 'json']);
    // The log may have grown since (Postfix retries deferred mail): compare the rows that were.
    const gzRows = (JSON.parse(fromGzip.stdout) as AuditReport).domains.map((r) => r.domain);
    expect(gzRows.sort()).toEqual(report.domains.map((r) => r.domain).sort());
    const fromStdin = await cli(['audit', '-', '--policy', policyFile], client!.log());
    expect(fromStdin.code).toBe(1);
    expect(fromStdin.stdout).toMatch(/selfsigned\.postfix\.test/);
  });
});
