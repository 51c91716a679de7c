// The smoke size of `npm run bench:wan` (fixtures/wan-bench.ts): the lab behind the user-space
// delay line, the real postscreen, and the three tools side by side, with small numbers. It
// checks the instrument, not mxtls's speed: the delay is really there (DNS over UDP, TCP
// connects, postscreen's greeting delay and pregreet drop), every tool row probed every address
// and produced results, and the awkward servers did what they are there for. Needs root (network
// namespaces, TUN devices), ip, cc and Postfix: on CI a missing one fails the test; elsewhere it
// skips and says why.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { WanReport } from '../../fixtures/wan-bench.js';

const BENCH = fileURLToPath(new URL('../../dist/fixtures/wan-bench.js', import.meta.url));
const GREET_WAIT_S = 3;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function whyNot(): string | undefined {
  let reason: string | undefined;
  if (process.getuid?.() !== 0) reason = 'needs root (network namespaces and TUN devices)';
  else if (!existsSync('/dev/net/tun')) reason = 'needs /dev/net/tun';
  else if (!has('ip') || !has('cc') || !has('postfix')) reason = 'needs ip, cc and postfix (scripts/ensure-debian-packages.sh installs them)';
  if (reason && process.env.CI) throw new Error(`the WAN bench smoke must run on CI, but it ${reason}`);
  if (reason) console.warn(`WAN bench smoke skipped: it ${reason}`);
  return reason;
}

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BENCH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const skip = whyNot();

describe.skipIf(skip !== undefined)(`npm run bench:wan, smoke size${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('emulates the WAN and runs every tool over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxtls-wan-test-'));
    try {
      const json = join(dir, 'report.json');
      const { code, output } = await runBench(['--smoke', '--domains', '150', '--greet-wait', String(GREET_WAIT_S), '--json', json]);
      expect(code, output).toBe(0);
      const report = JSON.parse(readFileSync(json, 'utf8')) as WanReport;

      // The delay line adds the configured round trip to DNS and to TCP (never less).
      expect(report.check.dnsMs).toBeGreaterThanOrEqual(report.check.dnsConfiguredMs * 0.9);
      const addresses = Object.keys(report.check.tcpConfiguredMs);
      expect(addresses.length).toBeGreaterThan(0);
      for (const a of addresses) expect(report.check.tcpMs[a], a).toBeGreaterThanOrEqual(report.check.tcpConfiguredMs[a]! * 0.9);
      // Postscreen really waits before its final 220 (its timers count whole seconds), and a
      // pregreeter never gets it.
      expect(report.check.postscreen?.patient.finalMs).toBeGreaterThanOrEqual((GREET_WAIT_S - 1) * 1000);
      expect(report.check.postscreen?.pregreeter.sawFinal).toBe(false);

      expect(report.rows.map((r) => r.tool)).toHaveLength(3);
      const total = report.config.addresses as number;
      for (const row of report.rows) {
        expect(row.probes, row.tool).toBeGreaterThanOrEqual(total);
        expect(row.domainsWithResult, row.tool).toBeGreaterThan(0);
        expect(row.unknownDomains, row.tool).toBeGreaterThan(0); // tarpits and greylisting leave some
        // Every tarpit held the probe until it gave up, and postscreen saw each of its probes.
        const tarpit = row.byKind.tarpit!;
        expect(tarpit.probes, row.tool).toBeGreaterThan(0);
        expect(Object.keys(tarpit.outcomes).every((o) => o.includes('timeout')), JSON.stringify(tarpit.outcomes)).toBe(true);
        expect(row.postscreen.connects, row.tool).toBe(row.byKind.postscreen!.probes);
        expect(row.postscreenUndelayed, row.tool).toBe(0); // each address its own client: no shared pass
        expect(row.postscreen.pregreet, row.tool).toBe(0);
        expect(row.lab.greylist.greylisted, row.tool).toBeGreaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
