// `mxtls install` through the real CLI and the machine's real postmap (Debian's postfix, plus
// postfix-lmdb and postfix-cdb), never the machine's Postfix configuration: postmap gets a
// private config directory (an empty main.cf) with -c, the maps live in a temp directory, and
// `postfix reload` is only ever run as a stand-in script put first on PATH.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../fixtures/cli-runner.js';
import { installPolicyMap } from '../../src/index.js';

/** postmap is on the suite's Debian machine (scripts/ensure-debian-packages.sh); only a developer machine without it may skip. */
const postmapPath = spawnSync('sh', ['-c', 'command -v postmap || command -v /usr/sbin/postmap'], { encoding: 'utf8' }).stdout.trim();
const supported = new Set(postmapPath ? spawnSync('postconf', ['-m'], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin` } }).stdout.split('\n') : []);
if (!postmapPath) {
  if (process.env.CI) throw new Error('postmap is not installed, but CI must have it (scripts/ensure-debian-packages.sh)');
  console.warn('install-cli: postmap not installed, skipping');
}

let dir: string;
let conf: string;
let fakeBin: string;
let serial = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mxtls-install-'));
  conf = join(dir, 'conf');
  mkdirSync(conf);
  writeFileSync(join(conf, 'main.cf'), '');
  fakeBin = join(dir, 'bin');
  mkdirSync(fakeBin);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory for one test's maps. */
function mapsDir(): string {
  const d = join(dir, `maps${++serial}`);
  mkdirSync(d);
  return d;
}

const DOMAINS = Array.from({ length: 20 }, (_, i) => `d${String(i + 1).padStart(2, '0')}.test`);
const SECURE = 'secure match=mx.sts.test';
const STS_LINE = `${SECURE} { policy_string = version: STSv1 } { policy_string = mode: enforce }`;

/** A table shaped like mxtls output: header comment, a comment per entry, 21 lines in all. */
function table(levels: Record<string, string>): string {
  const lines = ['# mxtls 0.1.0 policy for Postfix 2.11-3.9, 2026-12-04T00:00:00Z'];
  for (const [key, value] of Object.entries(levels)) lines.push(`# ${key}: test entry`, `${key.padEnd(23)} ${value}`);
  return `${lines.join('\n')}\n`;
}

const V1: Record<string, string> = {
  ...Object.fromEntries(DOMAINS.map((d) => [d, 'verify'])),
  'sts.test': STS_LINE,
  '[mx.relay.test]:587': 'encrypt protocols=>=TLSv1.2',
  'dane.test': 'dane-only',
};
const KEYS = Object.keys(V1);

function query(type: string, path: string, key: string): string | undefined {
  const run = spawnSync(postmapPath, ['-c', conf, '-q', key, `${type}:${path}`], { encoding: 'utf8' });
  // No "database ... is older than source file" (the map is renamed in before its source) or other warning.
  expect(run.stderr, `postmap -q ${key} ${type}:${path}`).toBe('');
  return run.status === 0 ? run.stdout.replace(/\n$/, '') : undefined;
}

function install(policy: string, map: string, ...options: string[]) {
  return cli(['install', policy, '--map', map, '--postfix-config', conf, ...options]);
}

/** The files of a directory with their bytes, to prove a failed install changed nothing. */
function snapshot(d: string): Record<string, string> {
  return Object.fromEntries(readdirSync(d).sort().map((name) => [name, readFileSync(join(d, name)).toString('base64')]));
}

function writePolicy(d: string, name: string, levels: Record<string, string>): string {
  const path = join(d, name);
  writeFileSync(path, table(levels));
  return path;
}

function script(name: string, body: string): string {
  const bin = join(dir, `bin-${++serial}`);
  mkdirSync(bin);
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
  return bin;
}

const withPath = (bin: string) => ({ ...process.env, PATH: `${bin}:${process.env.PATH}` });

const MAP_FILES: Record<string, string[]> = {
  hash: ['tls_policy', 'tls_policy.bak', 'tls_policy.bak.db', 'tls_policy.db'],
  lmdb: ['tls_policy', 'tls_policy.bak', 'tls_policy.bak.lmdb', 'tls_policy.lmdb'],
  cdb: ['tls_policy', 'tls_policy.bak', 'tls_policy.bak.cdb', 'tls_policy.cdb'],
  texthash: ['tls_policy', 'tls_policy.bak'],
};

describe.skipIf(!postmapPath)('mxtls install', () => {
  describe.each(['hash', 'lmdb', 'cdb', 'texthash'])('%s', (type) => {
    it('installs, Postfix reads every line back, and the second install keeps the first as TYPE:PATH.bak', async (ctx) => {
      if (!supported.has(type)) {
        if (process.env.CI) throw new Error(`postmap does not support ${type} (postconf -m), but CI must (scripts/ensure-debian-packages.sh)`);
        ctx.skip();
      }
      const d = mapsDir();
      const map = join(d, 'tls_policy');
      const first = await install(writePolicy(dir, `p${serial}-1`, V1), map, '--map-type', type);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(new RegExp(`^installed 23 lines as ${type}:\\S+/tls_policy; 23 read back with postmap -q; 0 of 0 lowered\\n$`));
      expect(readFileSync(map, 'utf8')).toBe(table(V1));
      for (const key of KEYS) expect(query(type, map, key), key).toBe(V1[key]);

      // One line up, one down: 1 of 23 lowered, under the 10% default.
      const v2 = { ...V1, 'd01.test': 'dane', 'd02.test': 'encrypt' };
      const second = await install(writePolicy(dir, `p${serial}-2`, v2), map, '--map-type', type);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain(`1 of 23 lowered; previous table kept as ${type}:${map}.bak`);
      expect(query(type, map, 'd01.test')).toBe('dane');
      expect(query(type, map, 'd02.test')).toBe('encrypt');
      expect(readFileSync(`${map}.bak`, 'utf8')).toBe(table(V1));
      expect(query(type, `${map}.bak`, 'd02.test')).toBe('verify');
      expect(query(type, `${map}.bak`, 'sts.test')).toBe(STS_LINE);
      // Nothing left under a temporary name.
      expect(readdirSync(d).sort()).toEqual(MAP_FILES[type]);
    });
  });

  it('refuses a table that lowers more than --max-downgrades (exit 5) and changes nothing; --force installs it', async () => {
    const d = mapsDir();
    const map = join(d, 'tls_policy');
    expect((await install(writePolicy(dir, 'g1', V1), map)).code).toBe(0);
    const before = snapshot(d);
    // Three lowered, two gone: 5 of 23 lines, over 10% (2.3 lines).
    const { 'd04.test': _gone1, 'd05.test': _gone2, ...rest } = V1;
    const lowered = writePolicy(dir, 'g2', { ...rest, 'd01.test': 'may', 'sts.test': 'verify', 'dane.test': 'dane' });
    const refused = await install(lowered, map);
    expect(refused.code).toBe(5);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('not installed: 5 of the 23 lines of hash:');
    expect(refused.stderr).toContain('more than --max-downgrades allows (10% of the installed lines)');
    expect(refused.stderr).toMatch(/^ {2}d01\.test: verify -> may$/m);
    expect(refused.stderr).toMatch(/^ {2}d04\.test: verify -> \(no line\)$/m);
    expect(snapshot(d)).toEqual(before);

    expect((await install(lowered, map, '--max-downgrades', '4')).code).toBe(5);
    const allowed = await install(lowered, map, '--max-downgrades', '5');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(query('hash', map, 'd01.test')).toBe('may');

    // An empty table (every scan failed) drops every line.
    const empty = writePolicy(dir, 'g3', {});
    expect((await install(empty, map)).code).toBe(5);
    const forced = await install(empty, map, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('installed 0 lines');
    expect(forced.stdout).toContain('(--force)');
    expect(query('hash', map, 'd02.test')).toBeUndefined();
  });

  it('leaves the installed map byte for byte as it was when postmap fails (exit 6)', async () => {
    const d = mapsDir();
    const map = join(d, 'tls_policy');
    expect((await install(writePolicy(dir, 'f1', V1), map)).code).toBe(0);
    const before = snapshot(d);
    // A real postmap failure: Postfix's own configuration check stops it before it writes.
    const broken = join(dir, 'broken-conf');
    mkdirSync(broken);
    writeFileSync(join(broken, 'main.cf'), 'berkeley_db_create_buffer_size = abc\n');
    const run = await cli(['install', writePolicy(dir, 'f2', { ...V1, 'd01.test': 'dane' }), '--map', map, '--postfix-config', broken]);
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/not installed: postmap failed: postmap -c \S+ hash:\S+: postmap: fatal: bad numerical configuration: berkeley_db_create_buffer_size = abc; hash:\S+ is unchanged/);
    expect(snapshot(d)).toEqual(before);
    expect(query('hash', map, 'd01.test')).toBe('verify');

    // A postmap that dies halfway through writing its map: the half map must not be the installed
    // one, and must not stay behind under a temporary name either.
    const halfway = script('postmap', 'for a; do last=$a; done; echo partial > "${last#*:}.db"; echo "postmap: fatal: killed halfway" >&2; exit 1');
    const died = await cli(['install', writePolicy(dir, 'f3', V1), '--map', map, '--postfix-config', conf], '', withPath(halfway));
    expect(died.code).toBe(6);
    expect(died.stderr).toContain('postmap: fatal: killed halfway');
    expect(snapshot(d)).toEqual(before);
  });

  it('refuses to install when Postfix reads back another value than the file says (exit 6)', async () => {
    const d = mapsDir();
    const map = join(d, 'tls_policy');
    expect((await install(writePolicy(dir, 'v1', V1), map)).code).toBe(0);
    const before = snapshot(d);
    // A postmap that builds the real map but answers queries wrongly: only the read-back can catch it.
    const bin = script('postmap', `case " $* " in *" -q "*) while read k; do printf '%s\\tmay\\n' "$k"; done ;; *) exec ${postmapPath} "$@" ;; esac`);
    const run = await cli(['install', writePolicy(dir, 'v2', V1), '--map', map, '--postfix-config', conf], '', withPath(bin));
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/not installed: verify failed: postmap -q d01\.test hash:\.\.\. returned "may", line 3 says "verify"/);
    expect(snapshot(d)).toEqual(before);
  });

  it('runs postfix reload (with -c DIR) only with --reload; a failed reload is exit 6 with the table installed', async () => {
    const d = mapsDir();
    const map = join(d, 'tls_policy');
    const calls = join(dir, 'postfix-calls');
    const recorder = script('postfix', `echo "$*" >> ${calls}`);
    const policy = writePolicy(dir, 'r1', V1);
    const quiet = await cli(['install', policy, '--map', map, '--postfix-config', conf], '', withPath(recorder));
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(existsSync(calls)).toBe(false);

    const loud = await cli(['install', policy, '--map', map, '--postfix-config', conf, '--reload'], '', withPath(recorder));
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.stdout).toMatch(/; postfix reloaded\n$/);
    expect(readFileSync(calls, 'utf8')).toBe(`-c ${conf} reload\n`);

    const failing = script('postfix', 'echo "postfix/postfix-script: fatal: the Postfix mail system is not running" >&2; exit 1');
    const v2 = writePolicy(dir, 'r2', { ...V1, 'd01.test': 'dane' });
    const run = await cli(['install', v2, '--map', map, '--postfix-config', conf, '--reload'], '', withPath(failing));
    expect(run.code).toBe(6);
    expect(run.stdout).toMatch(/^installed 23 lines/);
    expect(run.stderr).toContain('is installed, but the reload failed: postfix -c');
    expect(run.stderr).toContain('the Postfix mail system is not running');
    expect(query('hash', map, 'd01.test')).toBe('dane');
  });

  it('refuses a file that is not mxtls policy output (exit 2), naming the lines', async () => {
    const d = mapsDir();
    const map = join(d, 'tls_policy');
    expect((await install(writePolicy(dir, 'i1', V1), map)).code).toBe(0);
    const before = snapshot(d);
    const bad = join(dir, 'i2');
    writeFileSync(bad, 'a.test verify\nb.test verifyy\n  match=x\n127.0.0.1 localhost\n');
    const run = await install(bad, map);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${bad}:2: "verifyy" is not a TLS security level`);
    expect(run.stderr).toContain(`${bad}:3: a line starting with white space`);
    expect(run.stderr).toContain(`${bad}:4: "127.0.0.1" is not a policy key`);
    expect(snapshot(d)).toEqual(before);
    const nowhere = await install(writePolicy(dir, 'i3', V1), join(dir, 'no-such-dir', 'tls_policy'));
    expect(nowhere.code).toBe(6);
    expect(nowhere.stderr).toBe(`mxtls: not installed: write failed: cannot write a new file beside ${join(dir, 'no-such-dir', 'tls_policy')}: no such file or directory; hash:${join(dir, 'no-such-dir', 'tls_policy')} is unchanged\n`);
    const missing = await install(join(dir, 'no-such-file'), map);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`mxtls: cannot read ${join(dir, 'no-such-file')}: no such file or directory\n`);
  });

  it('is the library\'s installPolicyMap too: the outcome as data', async () => {
    const map = join(mapsDir(), 'tls_policy');
    const first = await installPolicyMap(table(V1), { map, type: 'hash', maxDowngrades: { kind: 'lines', lines: 0 }, configDir: conf });
    expect(first).toEqual({ status: 'installed', lines: 23, installedLines: 0, downgrades: [], checked: 23 });
    const lowered = await installPolicyMap(table({ ...V1, 'd01.test': 'may' }), { map, type: 'hash', maxDowngrades: { kind: 'lines', lines: 0 }, configDir: conf });
    expect(lowered).toEqual({ status: 'refused', downgrades: [{ key: 'd01.test', from: 'verify', to: 'may' }], installedLines: 23 });
    expect(await installPolicyMap('a.test maybe\n', { map, type: 'hash', maxDowngrades: { kind: 'lines', lines: 0 } })).toEqual({
      status: 'invalid',
      problems: [{ line: 1, error: '"maybe" is not a TLS security level' }],
    });
  });
});
