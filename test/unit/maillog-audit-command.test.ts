import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/cli/audit-command.js';
import { AUDIT_COMMAND, auditCommand, type AuditArgs } from '../../src/cli/audit-options.js';
import type { AuditReport } from '../../src/maillog/audit.js';
import { AUDIT_LOG, AUDIT_POLICY } from '../helpers/postfix-audit-log.js';
import { parseCommand } from '../helpers/parse-command.js';

/** Parses a command line the way main.ts registers the command. */
const parse = (argv: string[]): Promise<AuditArgs> => parseCommand(AUDIT_COMMAND, auditCommand, argv);

async function run(argv: string[], stdin?: Readable): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAudit(await parse(argv), { out: (t) => (out += t), err: (t) => (err += t), stdin });
  return { code, out, err };
}

describe('mxtls audit', () => {
  let dir: string;
  let log: string;
  let policy: string;
  /** The log without its two deferrals: nothing for the policy to answer for. */
  let clean: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mxtls-audit-'));
    log = join(dir, 'mail.log.1.gz');
    policy = join(dir, 'tls_policy');
    clean = join(dir, 'clean.log');
    await writeFile(log, gzipSync(`${AUDIT_LOG.join('\n')}\n`));
    await writeFile(policy, AUDIT_POLICY);
    await writeFile(clean, `${AUDIT_LOG.filter((l) => !l.includes('status=deferred')).join('\n')}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 1 when the policy defers mail (a gzipped log)', async () => {
    const { code, out, err } = await run([log, '--policy', policy]);
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(out).toContain('Findings:');
  });

  it('exits 0 when nothing was deferred, though a none line passes up STARTTLS', async () => {
    const { code, out } = await run([clean, '--policy', policy]);
    expect(code).toBe(0);
    expect(out).toContain('mismatch.postfix.test: 1 delivery sent in plaintext to a host that offered STARTTLS');
  });

  it('--format json: one document with every row, read from stdin ("-")', async () => {
    const { code, out } = await run(['-', '--policy', policy, '--format', 'json'], Readable.from([Buffer.from(`${AUDIT_LOG.join('\n')}\n`)]));
    expect(code).toBe(1);
    const doc = JSON.parse(out) as AuditReport;
    expect(doc).toMatchObject({ tlsLogged: true, policyGiven: true });
    expect(doc.domains.find((r) => r.domain === 'selfsigned.postfix.test')).toMatchObject({ deferred: 1, tlsFailures: { 'not-verified': 1 }, line: 'verify', findings: ['line-defers'] });
  });

  it('exits 3 when policy lines cannot be read, naming them on stderr', async () => {
    const odd = join(dir, 'odd_policy');
    await writeFile(odd, 'valid.postfix.test verify\nmismatch.postfix.test sometimes\n');
    const { code, err } = await run([clean, '--policy', odd]);
    expect(err).toBe(`mxtls: --policy ${odd}: line 2: mismatch.postfix.test: "sometimes" is not a TLS security level\n`);
    expect(code).toBe(3);
  });

  it('exits 3 when the log has no TLS lines (smtp_tls_loglevel = 0) and says so', async () => {
    const quiet = join(dir, 'quiet.log');
    await writeFile(quiet, `${AUDIT_LOG.filter((l) => !l.includes('TLS connection established')).filter((l) => !l.includes('deferred')).join('\n')}\n`);
    const { code, out } = await run([quiet]);
    expect(code).toBe(3);
    expect(out).toContain('smtp_tls_loglevel = 0?');
  });

  it('exits 2 with the file named, not a raw ENOENT, when the log or the policy is missing', async () => {
    const noPolicy = await run([log, '--policy', join(dir, 'nope')]);
    expect(noPolicy).toMatchObject({ code: 2, out: '', err: `mxtls: --policy ${join(dir, 'nope')}: no such file\n` });
    const noLog = await run([join(dir, 'missing.log')]);
    expect(noLog.code).toBe(2);
    expect(noLog.err).toContain(join(dir, 'missing.log'));
  });

  it('asks for a log when none is given', async () => {
    await expect(parse(['--policy', policy])).rejects.toThrow('give one or more mail logs');
  });
});
