// Everything the interop tests run against: the lab PKI, a real Postfix or Exim for every
// target, the fake DNS on port 53 naming their MX hosts. One call starts it, one stops it,
// and a failed start leaves nothing behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki, writePem } from '../../fixtures/certs.js';
import { startDnsServer, type Zone } from '../../fixtures/dns-server.js';
import { startPolicyServer } from '../../fixtures/policy-server.js';
import { certFor } from '../../fixtures/lab.js';
import { eximBinary, startExim } from '../../fixtures/mta/exim.js';
import { onExit } from '../../fixtures/mta/exit-cleanup.js';
import { startPostfixReceivers } from '../../fixtures/mta/postfix.js';
import { DNS_HOST, EXIM_TARGET, type InteropTarget, POLICY_HOST, POSTFIX_TARGETS, SMTP_PORT } from './targets.js';

export interface InteropEnv {
  targets: InteropTarget[];
  /** The lab root, for mxtls --ca-file, posttls-finger -F and smtp_tls_CAfile. */
  caFile: string;
  /** mxtls --resolver value. */
  resolver: string;
  /** /etc/resolv.conf for a process that must resolve through the fake DNS. */
  resolvConf: string;
  /** mxtls --https-port: where the MTA-STS policy host listens. */
  httpsPort: number;
  /** The zone the fake DNS started with. */
  zone: Zone;
  /** Replaces what the fake DNS answers from now on. */
  setZone(zone: Zone): void;
  /** The Postfix receivers' mail log so far. */
  receiversLog(): string;
  close(): Promise<void>;
}

/** Why the interop suite cannot run here, or undefined when it can. On CI it must run: throws. */
export function interopSkipReason(): string | undefined {
  const missing = ['postfix', 'postmap', 'posttls-finger', 'unshare', 'mount', 'script'].filter((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0);
  const reason =
    process.getuid?.() !== 0
      ? 'needs root (port 25 and 53, private Postfix instances, a mount namespace)'
      : missing.length > 0
        ? `needs ${missing.join(', ')} (Debian's postfix; scripts/ensure-debian-packages.sh installs it)`
        : undefined;
  if (reason && process.env.CI) throw new Error(`interop tests cannot run on CI: ${reason}`);
  // A skipped suite's name is not shown by the default reporter: say why out loud.
  if (reason) console.warn(`interop tests skipped: ${reason}`);
  return reason;
}

/** Every target this machine can run: Exim's only where its unpacked binary is (never on CI). */
export function interopTargets(): InteropTarget[] {
  if (existsSync(eximBinary())) return [...POSTFIX_TARGETS, EXIM_TARGET];
  const reason = `no ${eximBinary()} (scripts/ensure-exim.sh unpacks it)`;
  if (process.env.CI) throw new Error(`the Exim target cannot run on CI: ${reason}`);
  console.warn(`Exim target left out: ${reason}`);
  return POSTFIX_TARGETS;
}

/** An MTA-STS policy in enforce mode (RFC 8461 §3.2), CRLF-terminated like the lab's. */
function stsPolicy(mx: string[]): string {
  return ['version: STSv1', 'mode: enforce', ...mx.map((m) => `mx: ${m}`), 'max_age: 86400', ''].join('\r\n');
}

function zoneFor(targets: InteropTarget[]): Zone {
  return Object.fromEntries(
    targets.flatMap((t) => [
      [t.domain, { MX: [{ preference: 10, exchange: t.mx }] }],
      [t.mx, { A: [t.host] }],
      // MTA-STS: the TXT record, the policy host; TLS-RPT, which Postfix 3.10 looks up itself
      // before it reports anything (smtp_tlsrpt.c, smtp_tlsrpt_find_policy).
      ...(t.mtaSts
        ? [
            [`_mta-sts.${t.domain}`, { TXT: [['v=STSv1; id=interop1;']] }],
            [`mta-sts.${t.domain}`, { A: [POLICY_HOST] }],
            [`_smtp._tls.${t.domain}`, { TXT: [[`v=TLSRPTv1; rua=mailto:tlsrpt@${t.domain}`]] }],
          ]
        : []),
    ]),
  );
}

export async function startInteropEnv(targets: InteropTarget[]): Promise<InteropEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'mxtls-interop-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // Servers in this process die with it; the directory would not.
  const forget = onExit(removeDir);
  const closers: (() => Promise<void>)[] = [async () => (removeDir(), forget())];
  const close = async () => {
    await Promise.allSettled(closers.splice(0).reverse().map((c) => c()));
  };
  try {
    const pki = await createLabPki();
    const caFile = writePem(dir, 'lab-ca.pem', pki.root.certPem);
    const listeners = await Promise.all(
      targets
        .filter((t) => t.server === 'postfix')
        .map(async (t) => ({
          name: t.name,
          host: t.host,
          port: SMTP_PORT,
          ...(t.cert ? await certFor(pki, t.cert) : {}),
          // The greeting names the MX host, as a real one would.
          overrides: { myhostname: t.mx, ...t.overrides },
        })),
    );
    const exims = await Promise.all(
      targets
        .filter((t) => t.server === 'exim')
        // Exim always serves a certificate: an Exim target carries one.
        .map(async (t) => ({ host: t.host, port: SMTP_PORT, hostname: t.mx, ...(await certFor(pki, t.cert!)) })),
    );
    // Started side by side; each is registered for closing as soon as it is up, and a failure
    // is only raised once every start has settled, so nothing comes up after the cleanup.
    const policies = Object.fromEntries(targets.flatMap((t) => (t.mtaSts ? [[`mta-sts.${t.domain}`, stsPolicy(t.mtaSts)]] : [])));
    const policyCert = await pki.leaf({ dnsNames: Object.keys(policies).length > 0 ? Object.keys(policies) : ['mta-sts.interop.test'] });
    const track = <T extends { close(): Promise<void> }>(server: Promise<T>) => server.then((s) => (closers.push(() => s.close()), s));
    const zone = zoneFor(targets);
    const dns = track(startDnsServer({ host: DNS_HOST, port: 53, zone }));
    const policyServer = track(startPolicyServer({ host: POLICY_HOST, certPem: policyCert.chainPem, keyPem: policyCert.keyPem, policies }));
    const receivers = track(startPostfixReceivers({ listeners }));
    const started = await Promise.allSettled([receivers, dns, policyServer, ...exims.map((opts) => track(startExim(opts)))]);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const [server, https, postfix] = [await dns, await policyServer, await receivers];
    return {
      targets,
      caFile,
      resolver: `${DNS_HOST}:53`,
      resolvConf: `nameserver ${DNS_HOST}\noptions attempts:2 timeout:2\n`,
      httpsPort: https.port,
      zone,
      setZone: (z) => server.setZone(z),
      receiversLog: () => postfix.log(),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
