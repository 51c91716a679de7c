// End to end: a lab server that offers the post-quantum hybrid X25519MLKEM768 and one that offers
// classic groups only, scanned by the real CLI, shown in the JSON, the table and the detail view.
// Both sides need OpenSSL 3.5, and the CLI a Node that names the group, so the lab and the CLI
// run under such a Node: this one (Node 24+), or else (Node 20, 22) the pinned Node 24 that
// .ci/run fetched (MXTLS_NODE24). On CI the
// test fails rather than skips without one; elsewhere it skips and says why.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../../fixtures/cli-runner.js';
import { mlKemNode } from '../../fixtures/ml-kem.js';
import type { DomainResult } from '../../src/types.js';

const node = await mlKemNode();
const LAB_SERVE = fileURLToPath(new URL('../../dist/fixtures/lab-serve.js', import.meta.url));
const reason = `Node ${process.versions.node} (OpenSSL ${process.versions.openssl}) cannot negotiate and name ML-KEM, and MXTLS_NODE24 names no Node 24 binary (.ci/run provides one)`;
if (!node) {
  if (process.env.CI) throw new Error(`CI must run the post-quantum test, but ${reason}`);
  // A skipped file shows no test names in the default reporter: say it here.
  console.warn(`post-quantum end-to-end test skipped: ${reason}`);
}
const why = node ? '' : ` (skipped: ${reason})`;

let lab: ChildProcess | undefined;
let flags: string[] = [];

/** Runs the CLI under the ML-KEM Node and returns its stdout. */
function scan(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(node!, [BIN, 'scan', ...flags, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  if (!node) return;
  if (!existsSync(LAB_SERVE)) throw new Error(`${LAB_SERVE} is missing: npm test builds it (npm run build)`);
  const child = spawn(node, [LAB_SERVE, 'pq.test', 'valid.test'], { stdio: ['ignore', 'pipe', 'inherit'] });
  lab = child;
  // lab-serve prints the CLI options once its servers listen.
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`lab-serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.startsWith('MXTLS_LAB_FLAGS=')) resolve(l);
    });
  });
  flags = line.slice('MXTLS_LAB_FLAGS="'.length, -1).split(' ');
});

afterAll(() => {
  lab?.kill('SIGTERM');
});

describe.skipIf(!node)(`post-quantum key exchange in the lab${why}`, () => {
  it('JSON carries the group and whether it is post-quantum, per address', async () => {
    const run = await scan(['--format', 'json', 'pq.test', 'valid.test']);
    expect(run.code, run.stderr).toBe(0);
    const results = (JSON.parse(run.stdout) as { results: DomainResult[] }).results;
    const kx = (domain: string) => results.find((r) => r.domain === domain)!.hosts[0]!.addresses[0]!.probe.tls!.keyExchange;
    expect(kx('pq.test')).toEqual({ type: 'TLSGroup', name: 'X25519MLKEM768', group: 'X25519MLKEM768', postQuantum: true });
    expect(kx('valid.test')).toEqual({ type: 'ECDH', name: 'X25519', size: 253, group: 'X25519', postQuantum: false });
  });

  it('the table marks the post-quantum domain in its TLS column, and only that one', async () => {
    const run = await scan(['--format', 'table', '--no-color', 'pq.test', 'valid.test']);
    expect(run.code, run.stderr).toBe(0);
    const cells = (domain: string) => run.stdout.split('\n').find((l) => l.startsWith(`${domain} `))!.trim().split(/ {2,}/);
    expect(cells('pq.test')[3]).toBe('TLSv1.3 PQ');
    expect(cells('valid.test')[3]).toBe('TLSv1.3');
  });

  it('the detail view names the group per address', async () => {
    const pq = await scan(['--format', 'table', '--no-color', 'pq.test']);
    expect(pq.stdout).toContain('key exchange    X25519MLKEM768 — post-quantum (ML-KEM hybrid)');
    const classic = await scan(['--format', 'table', '--no-color', 'valid.test']);
    expect(classic.stdout).toContain('key exchange    X25519 — classic ECDH, 253 bits');
  });
});
