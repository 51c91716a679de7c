// contrib/mxtls-nightly.sh: POSIX syntax (sh -n, dash -n), shellcheck, each step's exit code
// handled as the README says (with a stand-in mxtls), and one night against the lab with the
// real scan, policy and audit (report, install and scan --metrics are stand-ins until they land).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  function night(n: number, codes: Record<string, number> = {}): Night {
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

  it('install refused: the map and last night\'s results stay; audit still runs', () => {
    const r = night(20, { install: 1 });
    expect(r.code).toBe(1);
    expect(r.calls.map((c) => c.split(' ')[0])).toEqual(['scan', 'policy', 'report', 'install', 'audit']);
    expect(r.stderr).toContain('tomorrow compares with last night\'s results again');
    expect(last()).toContain('"night":"2"');
    expect(readFileSync(map, 'utf8')).toBe('night2.test verify\n');
  });

  it('a failed report is noted but does not hold the policy back; the old report stays', () => {
    const before = readFileSync(join(state, 'report.html'), 'utf8');
    const r = night(21, { report: 4 });
    expect(r.code).toBe(4);
    expect(readFileSync(map, 'utf8')).toBe('night21.test verify\n');
    expect(readFileSync(join(state, 'report.html'), 'utf8')).toBe(before);
  });

  it('some domains unknown (scan 3, policy 3) and a clean audit: installed, exit 3; the audit deferring mail: exit 1', () => {
    expect(night(22, { scan: 3, policy: 3 }).code).toBe(3);
    expect(readFileSync(map, 'utf8')).toBe('night22.test verify\n');
    expect(night(23, { scan: 3, audit: 1 }).code).toBe(1);
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

describe('contrib/mxtls-nightly.sh: two nights against the lab (real scan, policy, audit)', () => {
  const NAMES = ['valid.test', 'selfsigned.test', 'nostarttls.test', 'expired.test', 'mismatch.test'];
  let lab: Lab;
  let dir: string;
  const nights: Night[] = [];

  beforeAll(async () => {
    lab = await startLab({ scenarios: SCENARIOS.filter((s) => NAMES.includes(s.domain)) });
    dir = mkdtempSync(join(tmpdir(), 'mxtls-nightly-lab-'));
    writeFileSync(join(dir, 'domains.txt'), `${NAMES.join('\n')}\n`);
    // Real Postfix 3.7.11 lines (the audit interop test), moved to the lab's domains.
    writeFileSync(join(dir, 'mail.log'), `${AUDIT_LOG.map((l) => l.replaceAll('.postfix.test', '.test')).join('\n')}\n`);
    for (const n of [1, 2]) {
      const calls = join(dir, `calls-${n}`);
      const r = await runScript({
          PATH: process.env.PATH,
          MXTLS: STUB,
          STUB_REAL: BIN,
          STUB_CALLS: calls,
          MXTLS_DOMAINS: join(dir, 'domains.txt'),
          MXTLS_STATE: join(dir, 'state'),
          MXTLS_MAP: join(dir, 'tls_policy'),
          MXTLS_METRICS: join(dir, 'mxtls.prom'),
          MXTLS_MAILLOG: join(dir, 'mail.log'),
          MXTLS_SCAN_ARGS: `--resolver ${lab.resolver} --port ${lab.smtpPort} --ca-file ${lab.caFile} --https-port ${lab.httpsPort} --timeout 5`,
          MXTLS_POLICY_ARGS: '--postfix 3.7.11',
      });
      nights.push({ code: r.code, stderr: r.stderr, calls: readFileSync(calls, 'utf8').trim().split('\n') });
    }
  }, 120_000);
  afterAll(async () => {
    for (const [i, n] of nights.entries()) console.log(`night ${i + 1}: exit ${n.code}\n${n.stderr}`);
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes and installs the policy mxtls recommends for the lab', () => {
    const policy = readFileSync(join(dir, 'tls_policy'), 'utf8');
    expect(policy).toMatch(/^valid\.test +verify$/m);
    expect(policy).toMatch(/^selfsigned\.test +encrypt$/m);
    expect(existsSync(join(dir, 'state', 'last-night.ndjson'))).toBe(true);
  });

  it('night 1 has nothing to diff against; night 2 diffs against night 1 and finds no regression', () => {
    expect(nights[0]!.calls[0]).not.toContain('--diff');
    expect(nights[1]!.calls[0]).toContain('--diff');
    expect(nights[1]!.stderr).toContain('mxtls-nightly: scan: exit 0 (ok)');
  });

  it('the audit holds the log against the installed map: history, not a failing policy (exit 0)', () => {
    // The log's verify and encrypt deferrals happened under lines the installed map no longer has.
    for (const n of nights) expect(n.stderr).toContain('mxtls-nightly: audit: exit 0 (ok)');
    expect(nights.map((n) => n.code)).toEqual([0, 0]);
  });
});
