// mxtls against real MTAs, with Postfix's own posttls-finger as the referee: for every target
// both must see the same STARTTLS offer, protocol, cipher and trust verdict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerTarget, type FingerTrust, type FingerVerdict } from '../../fixtures/mta/posttls-finger.js';
import { interopSkipReason, type InteropEnv, interopTargets, startInteropEnv } from './environment.js';
import { type ScannedDomain, scanResults } from './mxtls-scan.js';
import { SMTP_PORT, type InteropTarget } from './targets.js';

/** What one prober saw, in posttls-finger's words. */
interface View {
  starttls: boolean;
  protocol?: string;
  cipher?: string;
  trust?: FingerTrust;
}

function mxtlsView(result: ScannedDomain | undefined): View {
  const address = result?.hosts[0]?.addresses[0];
  if (!address) throw new Error(`mxtls has no address result: ${JSON.stringify(result?.policy ?? result)}`);
  const { probe, names } = address;
  const tls = probe.tls;
  // Postfix's terms: Verified = trusted chain + name match; Trusted = trusted chain only.
  const trust: FingerTrust | undefined = !tls ? undefined : !tls.trust.trusted ? 'Untrusted' : names?.hostname ? 'Verified' : 'Trusted';
  return { starttls: probe.starttlsOffered, ...(tls ? { protocol: tls.protocol, cipher: tls.cipherOpenssl } : {}), ...(trust ? { trust } : {}) };
}

function fingerView(v: FingerVerdict): View {
  return { starttls: v.starttlsOffered, ...(v.protocol ? { protocol: v.protocol, cipher: v.cipher } : {}), ...(v.trust ? { trust: v.trust } : {}) };
}

const show = (v: View) => (v.starttls ? `${v.protocol ?? 'no TLS'} ${v.cipher ?? ''} ${v.trust ?? ''}`.replace(/ +/g, ' ').trim() : 'no STARTTLS');

const skip = interopSkipReason();
const targets: InteropTarget[] = interopTargets();

describe.skipIf(skip !== undefined)(`mxtls and posttls-finger read real MTAs alike${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let env: InteropEnv | undefined;
  const mxtls = new Map<string, { view: View; level?: string }>();
  const finger = new Map<string, { view: View; verdict: FingerVerdict }>();

  beforeAll(async () => {
    env = await startInteropEnv(targets);
    const started = env;
    const [results, verdicts] = await Promise.all([
      scanResults(started),
      Promise.all(started.targets.map((t) => fingerTarget({ host: t.host, port: SMTP_PORT, caFile: started.caFile, mxName: t.mx }))),
    ]);
    for (const t of started.targets) {
      const r = results.get(t.domain);
      mxtls.set(t.domain, { view: mxtlsView(r), ...(r?.policy.level ? { level: r.policy.level } : {}) });
    }
    started.targets.forEach((t, i) => finger.set(t.domain, { view: fingerView(verdicts[i]!), verdict: verdicts[i]! }));
  });

  afterAll(async () => {
    if (mxtls.size > 0) {
      const rows = targets.map((t) => {
        const m = mxtls.get(t.domain);
        const f = finger.get(t.domain);
        const agree = m && f && JSON.stringify(m.view) === JSON.stringify(f.view) ? 'yes' : 'NO';
        return `| ${t.server} ${t.host} | ${t.what} | ${m ? show(m.view) : '-'} | ${f ? show(f.view) : '-'} | ${agree} | ${m?.level ?? '-'} |`;
      });
      console.log(['| target | built as | mxtls | posttls-finger | agree | mxtls line |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n'));
    }
    await env?.close();
  });

  it.each(targets.map((t) => [t.domain, t] as const))('%s: mxtls agrees with posttls-finger', (domain) => {
    const m = mxtls.get(domain)!;
    const f = finger.get(domain)!;
    const fingerLines = [f.verdict.verify, f.verdict.encrypt].map((r) => r.output.split('\n').filter((l) => /TLS connection|verification failed|matched/.test(l)).join('\n'));
    expect(m.view, `mxtls: ${show(m.view)}\nposttls-finger: ${show(f.view)}\n${fingerLines.join('\n')}`).toEqual(f.view);
  });

  // mxtls sends QUIT without waiting for the 221 and says EHLO only once (no EHLO after TLS):
  // Postfix must still read that QUIT, and log the session as ended by it, not as a lost
  // connection. posttls-finger's sessions say EHLO twice (ehlo=2), so ehlo=1 starttls=1 is
  // mxtls's; a session that lost its QUIT would read "ehlo=1 starttls=1 commands=2".
  it('Postfix logs quit=1 for every mxtls session that got through STARTTLS', () => {
    const tlsTargets = targets.filter((t) => t.server === 'postfix' && mxtls.get(t.domain)?.view.protocol !== undefined);
    const sessions = env!.receiversLog().split('\n').filter((l) => / disconnect from .* ehlo=1 starttls=1 /.test(l));
    expect(sessions.length).toBeGreaterThanOrEqual(tlsTargets.length);
    expect(tlsTargets.length).toBeGreaterThan(0);
    for (const line of sessions) expect(line).toMatch(/ ehlo=1 starttls=1 quit=1 commands=3$/);
  });

  it.each(targets.map((t) => [t.domain, t] as const))('%s: shows what the target is built as', (domain, t) => {
    const m = mxtls.get(domain)!;
    expect({ starttls: m.view.starttls, trust: m.view.trust, level: m.level }).toEqual({ starttls: t.expect.starttls, trust: t.expect.trust, level: t.expect.level });
    if (t.expect.protocol) expect(m.view.protocol).toBe(t.expect.protocol);
  });
});
