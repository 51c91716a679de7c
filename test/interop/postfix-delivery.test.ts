// The policy file mxtls writes really works in Postfix: loaded into a real sending Postfix,
// every line delivers, `verify` lines over Verified TLS and `encrypt` lines over TLS; and a
// line stricter than the server allows is deferred, so these checks can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../fixtures/mta/maillog.js';
import { type PostfixClient, startPostfixClient } from '../../fixtures/mta/postfix.js';
import { interopSkipReason, type InteropEnv, interopTargets, startInteropEnv } from './environment.js';
import { scanPolicy } from './mxtls-scan.js';
import { POSTFIX_TARGETS, type InteropTarget } from './targets.js';

/** domain → its policy line's value ("verify", "encrypt", ...), from the file's non-comment lines. */
function policyLines(file: string): Map<string, string> {
  const entries = file.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  return new Map(entries.map((l) => l.trim().split(/\s+/)).map(([domain, ...value]) => [domain!, value.join(' ')]));
}

const show = (d: Delivery | undefined) => (d ? `${d.status}${d.tls ? `, ${d.tls.trust} ${d.tls.protocol} ${d.tls.cipher}` : ', no TLS'}` : '-');

const skip = interopSkipReason();
const targets: InteropTarget[] = interopTargets();
const FROM = 'sender@client.mxtls.test';
const TOO_STRICT = POSTFIX_TARGETS.find((t) => t.name === 'selfsigned')!;

describe.skipIf(skip !== undefined)(`mxtls's policy file in a real Postfix${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let env: InteropEnv | undefined;
  let client: PostfixClient | undefined;
  let policy = '';
  let lines = new Map<string, string>();
  const deliveries = new Map<string, Delivery>();

  beforeAll(async () => {
    env = await startInteropEnv(targets);
    policy = await scanPolicy(env);
    lines = policyLines(policy);
    client = await startPostfixClient({ caFile: env.caFile, policyMap: policy, resolvConf: env.resolvConf });
    const sender = client;
    // Every message at once: Postfix delivers them in parallel; each has its own recipient.
    await Promise.all([...lines.keys()].map((domain) => sender.send(FROM, `interop@${domain}`)));
    const logged = await Promise.all([...lines.keys()].map((domain) => sender.waitForDelivery(`interop@${domain}`)));
    for (const d of logged) deliveries.set(d.recipient.replace(/^.*@/, ''), d);
  });

  afterAll(async () => {
    if (lines.size > 0) {
      const rows = targets.map((t) => `| ${t.domain} | ${lines.get(t.domain) ?? '(none)'} | ${show(deliveries.get(t.domain))} | ${deliveries.get(t.domain)?.relay ?? '-'} |`);
      console.log(['| domain | policy line | delivery | relay |', '| --- | --- | --- | --- |', ...rows].join('\n'));
    }
    await Promise.allSettled([client?.close(), env?.close()]);
  });

  it('writes a line for every target', () => {
    const levels = targets.map((t) => [t.domain, lines.get(t.domain)?.split(' ')[0]]);
    expect(Object.fromEntries(levels), policy).toEqual(Object.fromEntries(targets.map((t) => [t.domain, t.expect.level])));
  });

  it.each(targets.map((t) => [t.domain] as const))('%s: delivered as its line demands', (domain) => {
    const line = lines.get(domain);
    const level = line?.split(' ')[0];
    const d = deliveries.get(domain);
    expect(d, `no delivery logged for ${domain}`).toBeDefined();
    expect(d!.status, `${domain} (${line}): ${d!.detail}`).toBe('sent');
    if (level === 'verify' || level === 'secure') expect(d!.tls?.trust, `${domain} (${level}): ${show(d)}`).toBe('Verified');
    if (level === 'encrypt') expect(d!.tls, `${domain} (encrypt): ${show(d)}`).toBeDefined();
  });

  it(`defers a line stricter than the server allows (verify for ${TOO_STRICT.domain})`, async () => {
    const strict = `${TOO_STRICT.domain} verify\n`;
    await client!.setPolicyMap(strict);
    await client!.send(FROM, `strict@${TOO_STRICT.domain}`);
    const d = await client!.waitForDelivery(`strict@${TOO_STRICT.domain}`);
    console.log(`| ${TOO_STRICT.domain} | verify (too strict, by hand) | ${show(d)}: ${d.detail} | ${d.relay} |`);
    expect(d.status, d.detail).toBe('deferred');
    expect(d.detail).toMatch(/certificate/i);
  });
});
