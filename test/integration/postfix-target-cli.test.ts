// --postfix through the real CLI over the lab's MTA-STS domains: the header names the target,
// a 3.10 target gets the TLSRPT attributes, an older one does not, the default follows the
// local postconf or falls back to 2.11-3.9, and a bad version is a usage error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../fixtures/cli-runner.js';
import { type Lab, startLab } from '../../fixtures/lab.js';
import { SCENARIOS } from '../../fixtures/scenarios.js';

const STS = SCENARIOS.filter((s) => s.domain === 'sts.test' || s.domain === 'stswild.test');
let lab: Lab;
let dir: string;
let saved: string;
let common: string[];

beforeAll(async () => {
  lab = await startLab({ scenarios: STS });
  dir = mkdtempSync(join(tmpdir(), 'mxtls-target-'));
  common = ['--resolver', lab.resolver, '--port', String(lab.smtpPort), '--ca-file', lab.caFile, '--https-port', String(lab.httpsPort), '--timeout', '4', '--ehlo', 'test.mxtls.test'];
  const run = await cli(['scan', ...common, '--format', 'ndjson', '--detail', 'full', ...STS.map((s) => s.domain)]);
  expect(run.code, run.stderr).toBe(0);
  saved = join(dir, 'run.ndjson');
  writeFileSync(saved, run.stdout);
}, 60_000);

afterAll(async () => {
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const entries = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.replace(/\s+/, ' '));
const policyString = (...lines: string[]) => lines.map((l) => `{ policy_string = ${l} }`).join(' ');

describe('--postfix', () => {
  it('3.10.5 from a scan: the TLSRPT attributes, exactly', async () => {
    const run = await cli(['scan', ...common, '--format', 'policy', '--postfix', '3.10.5', ...STS.map((s) => s.domain)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^# mxtls \S+ policy for Postfix 3\.10\.5, /);
    expect(entries(run.stdout).sort()).toEqual([
      `sts.test secure match=mx.sts.test policy_type=sts policy_domain=sts.test mx_host_pattern=mx.sts.test ${policyString('version: STSv1', 'mode: enforce', 'mx: mx.sts.test', 'max_age: 86400')}`,
      `stswild.test secure match=.stswild.test policy_type=sts policy_domain=stswild.test mx_host_pattern=*.stswild.test ${policyString('version: STSv1', 'mode: enforce', 'mx: *.stswild.test', 'max_age: 86400')}`,
    ]);
  });

  it('3.7.11 from saved results: secure match= only, the looser-form warning kept', async () => {
    const run = await cli(['policy', saved, '--postfix', '3.7.11']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^# mxtls \S+ policy for Postfix 3\.7\.11, /);
    expect(entries(run.stdout).sort()).toEqual(['sts.test secure match=mx.sts.test', 'stswild.test secure match=.stswild.test']);
    expect(run.stdout).toContain("#   warning: Postfix's match=.stswild.test also accepts deeper names than the MTA-STS pattern *.stswild.test (one label)");
  });

  it('without postconf on PATH: the 2.11-3.9 default', async () => {
    const empty = mkdtempSync(join(dir, 'path-'));
    const run = await cli(['policy', saved], '', { ...process.env, PATH: empty });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^# mxtls \S+ policy for Postfix 2\.11-3\.9, /);
    expect(run.stdout).not.toMatch(/policy_type/);
  });

  it('with postconf on PATH: the local mail_version', async (ctx) => {
    const local = spawnSync('postconf', ['-h', 'mail_version'], { encoding: 'utf8' });
    if (local.error) {
      if (process.env.CI) throw new Error('postconf is not installed, but CI must have it');
      ctx.skip();
    }
    const run = await cli(['policy', saved]);
    expect(run.stdout.split('\n')[0]).toContain(` policy for Postfix ${local.stdout.trim()}, `);
  });

  /** A PATH whose only command is a postconf that answers `version`. */
  function fakePostconf(version: string): NodeJS.ProcessEnv {
    const bin = mkdtempSync(join(dir, 'bin-'));
    writeFileSync(join(bin, 'postconf'), `#!/bin/sh\n[ "$*" = "-h mail_version" ] && echo ${version}\n`, { mode: 0o755 });
    return { ...process.env, PATH: bin };
  }

  it('the local postconf decides the default: 3.10.5 gets the TLSRPT attributes', async () => {
    const run = await cli(['policy', saved], '', fakePostconf('3.10.5'));
    expect(run.stdout).toMatch(/^# mxtls \S+ policy for Postfix 3\.10\.5, /);
    // From saved results: the policy text was saved with them.
    expect(entries(run.stdout).find((l) => l.startsWith('sts.test '))).toMatch(/ policy_type=sts policy_domain=sts\.test mx_host_pattern=mx\.sts\.test \{ policy_string = version: STSv1 \}.* \{ policy_string = max_age: 86400 \}$/);
  });

  it('a local Postfix older than 2.11: a warning, and the 2.11-3.9 default', async () => {
    const run = await cli(['policy', saved], '', fakePostconf('2.10.1'));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/local postconf mail_version: Postfix 2\.10\.1 is older than 2\.11.*; writing for Postfix 2\.11-3\.9/);
    expect(run.stdout).toMatch(/^# mxtls \S+ policy for Postfix 2\.11-3\.9, /);
  });

  it.each([
    ['2.10.9', /--postfix: Postfix 2\.10\.9 is older than 2\.11/],
    ['latest', /--postfix: "latest" is not a Postfix version/],
  ])('%s: exit 2 and why', async (version, message) => {
    const run = await cli(['policy', saved, '--postfix', version]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('per-site: the header says what the legacy table cannot say, the end lists the domains', async () => {
    const run = await cli(['policy', saved, '--format', 'per-site']);
    expect(run.stdout).toMatch(/^# mxtls \S+ smtp_tls_per_site, .*\n# the legacy table cannot express dane, dane-only or secure/);
    const list = run.stdout.slice(run.stdout.indexOf('# downgraded:')).split('\n').slice(0, 3);
    expect(list[0]).toBe('# downgraded: 2 domains');
    expect(list.slice(1).sort()).toEqual(['#   sts.test: secure match= written as MUST', '#   stswild.test: secure match= written as MUST']);
  });
});
