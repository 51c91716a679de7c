// Postfix 3.10 (Debian 13's own build, run in the root scripts/ensure-postfix310.sh builds) reads
// the file mxtls writes for it: the TLSRPT attributes load, an MTA-STS MX that matches its
// pattern gets the mail and a TLSRPT datagram naming the STS policy, an MX two labels below a
// "*." pattern is refused (Postfix >= 3.10.5 enforces RFC 8461's one label) while the 3.7-target
// file lets the same client deliver there; and Postfix 3.7 refuses the 3.10 file, which is why
// the target matters.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../fixtures/mta/maillog.js';
import { type PostfixClient, startPostfixClient } from '../../fixtures/mta/postfix.js';
import { type PostfixRuntime, postfix310Runtime, SYSTEM_POSTFIX } from '../../fixtures/mta/postfix-runtime.js';
import { startTlsRptCollector, type TlsRptCollector, type TlsRptDatagram, TLSRPT_POLICY_STS } from '../../fixtures/mta/tlsrpt-collector.js';
import { interopSkipReason, type InteropEnv, startInteropEnv } from './environment.js';
import { scanPolicy } from './mxtls-scan.js';
import { DEEP_MX, POSTFIX_TARGETS } from './targets.js';

const FROM = 'sender@client.mxtls.test';
const STS = POSTFIX_TARGETS.find((t) => t.name === 'sts')!;
const DEEP = POSTFIX_TARGETS.find((t) => t.name === 'stsdeep')!;
/** libtlsrpt's socket, relative to the client's queue directory (TLSRPT_README). */
const TLSRPT_SOCKET = 'tlsrpt.sock';

function runtimeOrSkip(): { runtime?: PostfixRuntime; skip?: string } {
  const skip = interopSkipReason();
  if (skip) return { skip };
  const runtime = postfix310Runtime();
  if ('missing' in runtime) {
    if (process.env.CI) throw new Error(`the Postfix 3.10 tests cannot run on CI: ${runtime.missing}`);
    console.warn(`Postfix 3.10 tests skipped: ${runtime.missing}`);
    return { skip: runtime.missing };
  }
  return { runtime };
}

const { runtime, skip } = runtimeOrSkip();

/** A version as `postconf -d -h mail_version` of a runtime says it. */
function mailVersion(r: PostfixRuntime): string {
  const [cmd, args] = r.command('postconf', ['-d', '-h', 'mail_version']);
  const run = spawnSync(cmd, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim();
}

/** domain → value of its policy line. */
function policyLines(file: string): Map<string, string> {
  const entries = file.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  return new Map(entries.map((l) => l.trim().split(/\s+/)).map(([domain, ...value]) => [domain!, value.join(' ')]));
}

const show = (d: Delivery) => `${d.status}${d.tls ? `, ${d.tls.trust} ${d.tls.protocol}` : ''} (${d.detail})`;

describe.skipIf(skip !== undefined)(`Postfix 3.10 reads mxtls's file for it${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const r310 = runtime!;
  let version = '';
  let env: InteropEnv | undefined;
  let client: PostfixClient | undefined;
  let collector: TlsRptCollector | undefined;
  let file310 = '';
  let file37 = '';
  const report: string[] = [];

  beforeAll(async () => {
    version = mailVersion(r310);
    env = await startInteropEnv(POSTFIX_TARGETS);
    [file310, file37] = await Promise.all([scanPolicy(env, version), scanPolicy(env, mailVersion(SYSTEM_POSTFIX))]);
    client = await startPostfixClient({
      runtime: r310,
      caFile: env.caFile,
      policyMap: file310,
      resolvConf: env.resolvConf,
      main: { smtp_tlsrpt_enable: 'yes', smtp_tlsrpt_socket_name: TLSRPT_SOCKET },
    });
    collector = await startTlsRptCollector(client.queuePath(TLSRPT_SOCKET));
  });

  afterAll(async () => {
    if (report.length > 0) console.log(['| domain | target | line | Postfix 3.10 client |', '| --- | --- | --- | --- |', ...report].join('\n'));
    collector?.close();
    await Promise.allSettled([client?.close(), env?.close()]);
  });

  it('is Postfix 3.10.5 or later, built with TLSRPT', () => {
    expect(version).toMatch(/^3\.(1[0-9])\.\d+$/);
    const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
    expect(minor > 10 || patch >= 5, `Postfix ${version} does not enforce MTA-STS mx patterns (3.10.5)`).toBe(true);
    expect(major).toBe(3);
  });

  it('the 3.10 file carries the TLSRPT attributes, the 3.7 file does not', () => {
    const lines310 = policyLines(file310);
    expect(file310).toMatch(new RegExp(`^# mxtls \\S+ policy for Postfix ${version.replaceAll('.', '\\.')}, `));
    expect(lines310.get(STS.domain)).toBe(
      `secure match=.${STS.domain} policy_type=sts policy_domain=${STS.domain} mx_host_pattern=*.${STS.domain} ` +
        ['version: STSv1', 'mode: enforce', `mx: *.${STS.domain}`, 'max_age: 86400'].map((l) => `{ policy_string = ${l} }`).join(' '),
    );
    expect(policyLines(file37).get(STS.domain)).toBe(`secure match=.${STS.domain}`);
    for (const t of [STS, DEEP]) {
      report.push(`| ${t.domain} | ${version} | \`${lines310.get(t.domain)}\` | see below |`);
      report.push(`| ${t.domain} | 3.7 | \`${policyLines(file37).get(t.domain)}\` | see below |`);
    }
  });

  it('postmap of each version accepts the file written for it', () => {
    // Inside the 3.10 root, so both builds reach it; an empty main.cf of its own (-c), so neither
    // reads a system configuration.
    const dir = mkdtempSync(join(r310.root, 'tmp', 'mxtls-postmap-'));
    try {
      writeFileSync(join(dir, 'main.cf'), '');
      for (const [r, file, name] of [[r310, file310, 'p310'], [SYSTEM_POSTFIX, file37, 'p37']] as const) {
        writeFileSync(join(dir, name), file);
        const here = r === SYSTEM_POSTFIX ? dir : dir.slice(r310.root.length);
        const postmap = (...args: string[]) => {
          const [cmd, full] = r.command('postmap', ['-c', here, ...args]);
          return spawnSync(cmd, full, { encoding: 'utf8' });
        };
        const built = postmap(`hash:${here}/${name}`);
        expect({ status: built.status, stderr: built.stderr }, `${r.name} postmap`).toEqual({ status: 0, stderr: '' });
        expect(postmap('-q', STS.domain, `hash:${here}/${name}`).stdout.trim()).toBe(policyLines(file).get(STS.domain));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('delivers every target under the 3.10 file, each as its line demands', async () => {
    const lines = policyLines(file310);
    await Promise.all([...lines.keys()].map((domain) => client!.send(FROM, `all@${domain}`)));
    const logged = await Promise.all([...lines.keys()].map((domain) => client!.waitForDelivery(`all@${domain}`)));
    for (const d of logged) {
      const level = lines.get(d.recipient.replace(/^.*@/, ''))!.split(' ')[0];
      if (level === 'secure') report.push(`| ${d.recipient.replace(/^.*@/, '')} (MX as scanned) | ${version} | 3.10 line | ${show(d)} |`);
      expect(d.status, `${d.recipient} (${level}): ${d.detail}`).toBe('sent');
      if (level === 'secure' || level === 'verify') expect(d.tls?.trust, `${d.recipient}: ${show(d)}`).toBe('Verified');
    }
  });

  it.each([STS, DEEP].map((t) => [t.domain, t] as const))('sends a TLSRPT datagram for %s naming its STS policy', async (domain, t) => {
    const datagram: TlsRptDatagram = await collector!.waitFor(domain);
    expect(datagram.pr).toBe(`v=TLSRPTv1; rua=mailto:tlsrpt@${domain}`);
    expect(datagram.policies).toHaveLength(1);
    const policy = datagram.policies[0]!;
    expect(policy).toMatchObject({
      'policy-type': TLSRPT_POLICY_STS,
      'policy-domain': domain,
      'mx-host': [`*.${domain}`],
      'policy-string': ['version: STSv1', 'mode: enforce', `mx: *.${domain}`, 'max_age: 86400'],
      // No failure details, final result TLSRPT_FINAL_SUCCESS.
      t: 0,
      f: 0,
    });
    expect(client!.log()).toContain(`TLSRPT: status=success, domain=${domain}, receiving_mx=${t.mx}[${t.host}]`);
    report.push(`| ${domain} | ${version} | (TLSRPT) | datagram: policy-type ${policy['policy-type']} (sts), policy-domain ${policy['policy-domain']}, mx-host ${JSON.stringify(policy['mx-host'])}, final result ${policy.f} (success) |`);
  });

  it(`defers ${DEEP.domain} once its MX is ${DEEP_MX} (two labels below the pattern); the 3.7-target file delivers it`, async () => {
    const zone = { ...env!.zone, [DEEP.domain]: { MX: [{ preference: 10, exchange: DEEP_MX }] }, [DEEP_MX]: { A: [DEEP.host] } };
    env!.setZone(zone);
    try {
      await client!.send(FROM, `deep310@${DEEP.domain}`);
      const refused = await client!.waitForDelivery(`deep310@${DEEP.domain}`);
      report.push(`| ${DEEP.domain} (MX ${DEEP_MX}) | ${version} | 3.10 line | ${show(refused)} |`);
      expect(refused.status, show(refused)).toBe('deferred');
      expect(client!.log()).toContain(`MX name '${DEEP_MX}' does not match STS MX pattern for '${DEEP.domain}'`);

      await client!.setPolicyMap(file37);
      await client!.send(FROM, `deep37@${DEEP.domain}`);
      const accepted = await client!.waitForDelivery(`deep37@${DEEP.domain}`);
      report.push(`| ${DEEP.domain} (MX ${DEEP_MX}) | 3.7 | \`${policyLines(file37).get(DEEP.domain)}\` | ${show(accepted)} |`);
      expect(accepted.status, show(accepted)).toBe('sent');
      expect(accepted.tls?.trust).toBe('Verified');
    } finally {
      env!.setZone(env!.zone);
      await client!.setPolicyMap(file310);
    }
  });

  it('Postfix 3.7 defers a line written for 3.10 (invalid attribute name): the target matters', async () => {
    const old = await startPostfixClient({ caFile: env!.caFile, policyMap: file310, resolvConf: env!.resolvConf });
    try {
      await old.send(FROM, `old@${STS.domain}`);
      const d = await old.waitForDelivery(`old@${STS.domain}`);
      expect(d.status, show(d)).toBe('deferred');
      expect(old.log()).toMatch(/invalid attribute name: "policy_type"/);
    } finally {
      await old.close();
    }
  });
});
