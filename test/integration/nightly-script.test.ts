// contrib/mxtls-nightly.sh: POSIX syntax (sh -n, dash -n), shellcheck, each step's exit code
// handled as the README says (with a stand-in mxtls), and two nights against the lab with the
// real mxtls for every step (scan --metrics, policy, report, install, audit). install runs the
// machine's real postmap, but never on the machine's Postfix configuration: MXTLS_POSTFIX_CONFIG
// is a private directory with an empty main.cf, the map lives in a temp directory, and
// `postfix reload` only ever reaches a stand-in put first on PATH.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../../fixtures/cli-runner.js';
import { type Lab, startLab } from '../../fixtures/lab.js';
import { SCENARIOS } from '../../fixtures/scenarios.js';
import { AUDIT_LOG } from '../helpers/postfix-audit-log.js';

const SCRIPT = fileURLToPath(new URL('../../contrib/mxtls-nightly.sh', import.meta.url));
const STUB = fileURLToPath(new URL('../helpers/nightly-stub.sh', import.meta.url));

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function shellcheckSkip(): string | undefined {
  if (has('shellcheck')) return undefined;
  const reason = 'needs shellcheck (Debian package shellcheck; scripts/ensure-debian-packages.sh installs it)';
  if (process.env.CI) throw new Error(`cannot run on CI: ${reason}`);
  console.warn(`shellcheck test skipped: ${reason}`);
  return reason;
}

describe('contrib/mxtls-nightly.sh: syntax', () => {
  it.each(['sh', 'dash'].filter(has))('%s -n accepts it', (shell) => {
    const r = spawnSync(shell, ['-n', SCRIPT], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  const skip = shellcheckSkip();
  it.skipIf(skip !== undefined)(`shellcheck -s sh finds nothing${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const r = spawnSync('shellcheck', ['-s', 'sh', SCRIPT, STUB], { encoding: 'utf8' });
    expect(r.status, r.stdout).toBe(0);
  });
});

interface Night {
  code: number | null;
  stderr: string;
  calls: string[];
}

describe('contrib/mxtls-nightly.sh: each step\'s exit code, with a stand-in mxtls', () => {
  let dir: string;
  let state: string;
  let map: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxtls-nightly-'));
    state = join(dir, 'state');
    map = join(dir, 'tls_policy');
    writeFileSync(join(dir, 'domains.txt'), 'example.com\n');
    writeFileSync(join(dir, 'mail.log'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function night(n: number, codes: Record<string, number> = {}, extra: NodeJS.ProcessEnv = {}): Night {
    const calls = join(dir, `calls-${n}`);
    const r = spawnSync('sh', [SCRIPT], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        MXTLS: STUB,
        MXTLS_DOMAINS: join(dir, 'domains.txt'),
        MXTLS_STATE: state,
        MXTLS_MAP: map,
        MXTLS_METRICS: join(dir, 'mxtls.prom'),
        MXTLS_MAILLOG: join(dir, 'mail.log'),
        STUB_CALLS: calls,
        STUB_NIGHT: String(n),
        ...Object.fromEntries(Object.entries(codes).map(([k, v]) => [`STUB_${k.toUpperCase()}`, String(v)])),
        ...extra,
      },
    });
    return { code: r.status, stderr: r.stderr, calls: existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [] };
  }
  const last = () => readFileSync(join(state, 'last-night.ndjson'), 'utf8');

  it('first night: no --diff, every step runs, tonight becomes last night, exit 0', () => {
    const r = night(1);
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls.map((c) => c.split(' ')[0])).toEqual(['scan', 'policy', 'report', 'install', 'audit']);
    expect(r.calls[0]).not.toContain('--diff');
    expect(r.calls[0]).toContain(`--metrics ${join(dir, 'mxtls.prom')}`);
    expect(r.calls[3]).toBe(`install ${state}/tls_policy.new --map ${map} --map-type hash --max-downgrades 5% --reload`);
    expect(r.calls[4]).toBe(`audit ${join(dir, 'mail.log')} --policy ${map}`);
    expect(last()).toContain('"night":"1"');
    expect(readFileSync(map, 'utf8')).toBe('night1.test verify\n');
  });

  it('a regression (scan 1) still installs (the guard decides), and the night exits 1', () => {
    const r = night(2, { scan: 1 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.calls[0]).toContain(`--diff ${state}/last-night.ndjson --previous ${state}/last-night.ndjson`);
    expect(r.calls[1]).toContain(`--previous ${state}/last-night.ndjson`);
    expect(r.calls[2]).toContain(`--diff ${state}/last-night.ndjson`);
    expect(r.stderr).toContain('mxtls-nightly: scan: exit 1 (regression)');
    expect(last()).toContain('"night":"2"');
  });

  it.each([
    ['usage', 2],
    ['an internal error', 4],
    ['an interrupt', 130],
  ])('scan ends in %s: nothing after it runs, last night\'s files stay, the code is passed on', (_what, code) => {
    const r = night(10 + code, { scan: code });
    expect(r.code).toBe(code);
    expect(r.calls.map((c) => c.split(' ')[0])).toEqual(['scan']);
    expect(r.stderr).toContain('last night\'s results, policy, report and the installed map are unchanged');
    expect(last()).toContain('"night":"2"');
    expect(readFileSync(map, 'utf8')).toBe('night2.test verify\n');
  });

  it.each([
    ['refused by --max-downgrades', 5, 'install refused: more lines lowered than --max-downgrades allows'],
    ['failed (postmap, read-back, rename)', 6, 'install failed, or the reload after it'],
  ])('install %s: the map and last night\'s results stay; audit still runs; the code is passed on', (_what, code, meaning) => {
    const r = night(20 + code, { install: code });
    expect(r.code).toBe(code);
    expect(r.calls.map((c) => c.split(' ')[0])).toEqual(['scan', 'policy', 'report', 'install', 'audit']);
    expect(r.stderr).toContain(`mxtls-nightly: install: exit ${code} (${meaning})`);
    expect(r.stderr).toContain('tomorrow compares with last night\'s results again');
    expect(r.stderr).not.toContain('not reloaded');
    expect(last()).toContain('"night":"2"');
    expect(readFileSync(map, 'utf8')).toBe('night2.test verify\n');
  });

  it('install 6 after the map went in (the reload failed): tonight becomes last night, exit 6, reload by hand', () => {
    const r = night(30, {}, { STUB_RELOAD: 'fail' });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('mxtls-nightly: install: exit 6 (install failed, or the reload after it)');
    expect(r.stderr).toContain('tonight\'s policy is installed but Postfix was not reloaded; reload it by hand');
    expect(r.stderr).not.toContain('tomorrow compares with last night\'s results again');
    expect(readFileSync(map, 'utf8')).toBe('night30.test verify\n');
    expect(last()).toContain('"night":"30"');
    expect(readFileSync(join(state, 'tls_policy'), 'utf8')).toBe('night30.test verify\n');
  });

  it('MXTLS_POSTFIX_CONFIG reaches install as --postfix-config; MXTLS_RELOAD=no leaves --reload off', () => {
    const r = night(31, {}, { MXTLS_POSTFIX_CONFIG: join(dir, 'postfix conf'), MXTLS_RELOAD: 'no' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls[3]).toBe(`install ${state}/tls_policy.new --map ${map} --map-type hash --max-downgrades 5% --postfix-config ${join(dir, 'postfix conf')}`);
  });

  it.each([
    ['6 over 4', { report: 4, install: 6 }, 6],
    ['4 over 5', { report: 4, install: 5 }, 4],
    ['5 over 1', { scan: 1, install: 5 }, 5],
    ['1 over 3', { scan: 3, install: 0, audit: 1 }, 1],
  ])('the most serious code wins: %s', (_what, codes, code) => {
    expect(night(40, codes).code).toBe(code);
  });

  it('a failed report is noted but does not hold the policy back; the old report stays', () => {
    const before = readFileSync(join(state, 'report.html'), 'utf8');
    const r = night(32, { report: 4 });
    expect(r.code).toBe(4);
    expect(readFileSync(map, 'utf8')).toBe('night32.test verify\n');
    expect(readFileSync(join(state, 'report.html'), 'utf8')).toBe(before);
  });

  it('some domains unknown (scan 3, policy 3) and a clean audit: installed, exit 3; the audit deferring mail: exit 1', () => {
    expect(night(33, { scan: 3, policy: 3 }).code).toBe(3);
    expect(readFileSync(map, 'utf8')).toBe('night33.test verify\n');
    expect(night(34, { scan: 3, audit: 1 }).code).toBe(1);
  });

  it('no domain list: exit 2 before anything runs', () => {
    const r = spawnSync('sh', [SCRIPT], { encoding: 'utf8', env: { PATH: process.env.PATH, MXTLS: STUB, MXTLS_DOMAINS: join(dir, 'nope.txt'), MXTLS_STATE: state, STUB_CALLS: join(dir, 'calls-none') } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no domain list at ${join(dir, 'nope.txt')}`);
    expect(existsSync(join(dir, 'calls-none'))).toBe(false);
  });
});

/** The script as a child process, without blocking: the lab's servers answer from this process. */
function runScript(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', [SCRIPT], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** postmap is on the suite's Debian machine (scripts/ensure-debian-packages.sh); only a developer machine without it may skip. */
const postmapPath = spawnSync('sh', ['-c', 'command -v postmap || command -v /usr/sbin/postmap'], { encoding: 'utf8' }).stdout.trim();
if (!postmapPath) {
  if (process.env.CI) throw new Error('postmap is not installed, but CI must have it (scripts/ensure-debian-packages.sh)');
  console.warn('nightly-script: postmap not installed, skipping the nights against the lab');
}

interface LabNight {
  code: number | null;
  stderr: string;
  /** The files the night left, read before the next night replaces them. */
  metrics: string;
  report: string;
}

describe.skipIf(!postmapPath)('contrib/mxtls-nightly.sh: two nights against the lab (the real mxtls for every step)', () => {
  const NAMES = ['valid.test', 'selfsigned.test', 'nostarttls.test', 'expired.test', 'mismatch.test'];
  let lab: Lab;
  let dir: string;
  let conf: string;
  let map: string;
  let last: string;
  let reloads: string;
  const nights: LabNight[] = [];

  const query = (key: string) => {
    const r = spawnSync(postmapPath, ['-c', conf, '-q', key, `hash:${map}`], { encoding: 'utf8' });
    expect(r.stderr, `postmap -q ${key}`).toBe('');
    return r.status === 0 ? r.stdout.trim() : undefined;
  };

  beforeAll(async () => {
    lab = await startLab({ scenarios: SCENARIOS.filter((s) => NAMES.includes(s.domain)) });
    dir = mkdtempSync(join(tmpdir(), 'mxtls-nightly-lab-'));
    map = join(dir, 'tls_policy');
    last = join(dir, 'state', 'last-night.ndjson');
    writeFileSync(join(dir, 'domains.txt'), `${NAMES.join('\n')}\n`);
    // Real Postfix 3.7.11 lines (the audit interop test), moved to the lab's domains.
    writeFileSync(join(dir, 'mail.log'), `${AUDIT_LOG.map((l) => l.replaceAll('.postfix.test', '.test')).join('\n')}\n`);
    // postmap -c DIR reads DIR/main.cf: an empty one, never /etc/postfix.
    conf = join(dir, 'postfix-conf');
    mkdirSync(conf);
    writeFileSync(join(conf, 'main.cf'), '');
    // The `postfix reload` install runs after the map: a stand-in first on PATH records it.
    const fakeBin = join(dir, 'bin');
    mkdirSync(fakeBin);
    reloads = join(dir, 'postfix-calls');
    writeFileSync(join(fakeBin, 'postfix'), `#!/bin/sh\necho "$*" >> '${reloads}'\n`);
    chmodSync(join(fakeBin, 'postfix'), 0o755);
    for (const n of [1, 2]) {
      const r = await runScript({
        PATH: `${fakeBin}:${process.env.PATH}`,
        MXTLS: BIN,
        MXTLS_DOMAINS: join(dir, 'domains.txt'),
        MXTLS_STATE: join(dir, 'state'),
        MXTLS_MAP: map,
        MXTLS_POSTFIX_CONFIG: conf,
        MXTLS_METRICS: join(dir, 'mxtls.prom'),
        MXTLS_MAILLOG: join(dir, 'mail.log'),
        MXTLS_SCAN_ARGS: `--resolver ${lab.resolver} --port ${lab.smtpPort} --ca-file ${lab.caFile} --https-port ${lab.httpsPort} --timeout 5`,
        MXTLS_POLICY_ARGS: '--postfix 3.7.11',
      });
      const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
      nights.push({ code: r.code, stderr: r.stderr, metrics: read('mxtls.prom'), report: read('state/report.html') });
    }
  }, 120_000);
  afterAll(async () => {
    for (const [i, n] of nights.entries()) console.log(`night ${i + 1}: exit ${n.code}\n${n.stderr}`);
    await lab?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every step of both nights ran and exited 0', () => {
    for (const n of nights) {
      for (const step of ['scan', 'policy', 'report', 'install', 'audit']) expect(n.stderr).toContain(`mxtls-nightly: ${step}: exit 0 (ok)`);
      expect(n.stderr).toContain('mxtls-nightly: done: exit 0 (ok)');
    }
    expect(nights.map((n) => n.code)).toEqual([0, 0]);
  });

  it('installs the policy mxtls recommends for the lab: Postfix reads it back from the map with postmap -q', () => {
    const policy = readFileSync(map, 'utf8');
    expect(policy).toMatch(/^valid\.test +verify$/m);
    expect(policy).toMatch(/^selfsigned\.test +encrypt$/m);
    expect(readFileSync(join(dir, 'state', 'tls_policy'), 'utf8')).toBe(policy);
    expect(existsSync(`${map}.db`)).toBe(true);
    expect(query('valid.test')).toBe('verify');
    expect(query('selfsigned.test')).toBe('encrypt');
    expect(query('no-such-domain.test')).toBeUndefined();
    // Night 2 kept night 1's table as the backup, itself a map Postfix can read.
    expect(existsSync(`${map}.bak.db`)).toBe(true);
    expect(existsSync(last)).toBe(true);
  });

  it('install reloaded only the stand-in postfix, with the private configuration directory, once a night', () => {
    expect(readFileSync(reloads, 'utf8')).toBe(`-c ${conf} reload\n-c ${conf} reload\n`);
  });

  it('night 2\'s metrics file is the real scan\'s, with the diff against night 1', () => {
    const [one, two] = nights as [LabNight, LabNight];
    const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(two.metrics).toMatch(/^# TYPE mxtls_run_start_time_seconds gauge$/m);
    expect(value(two.metrics, 'mxtls_run_start_time_seconds')).toBeGreaterThan(value(one.metrics, 'mxtls_run_start_time_seconds'));
    expect(two.metrics).toMatch(/^mxtls_domains_by_level\{level="verify"\} 1$/m);
    expect(two.metrics).toMatch(/^mxtls_domains_by_kind\{kind="line"\} 5$/m);
    // Night 1 had nothing to diff against; night 2 diffed against night 1 and found no regression.
    expect(one.metrics).not.toContain('mxtls_diff_regressions');
    expect(value(two.metrics, 'mxtls_diff_regressions')).toBe(0);
  });

  it('night 2\'s report.html is the real report, compared with night 1', () => {
    const [one, two] = nights as [LabNight, LabNight];
    expect(two.report).toMatch(/^<!doctype html>/i);
    expect(two.report).toMatch(/<title>mxtls report: 5 domains, /);
    for (const name of NAMES) expect(two.report).toContain(name);
    expect(one.report).not.toContain('Changes since the previous run');
    expect(two.report).toContain('Changes since the previous run');
    expect(two.report).toMatch(/>0 regressions, \d+ warnings?, \d+ info; 5 domains compared with last-night\.ndjson</);
    expect(existsSync(join(dir, 'state', 'report.html.new'))).toBe(false);
  });

  it('the audit holds the log against the installed map: history, not a failing policy (exit 0)', () => {
    // The log's verify and encrypt deferrals happened under lines the installed map no longer has.
    for (const n of nights) expect(n.stderr).toContain('mxtls-nightly: audit: exit 0 (ok)');
  });
});
