// DANE against a real validating resolver: NSD serves a signed parent zone (Unbound's only
// trust anchor) with a signed, an unsigned and a bogus child; fake SMTP servers present
// certificates made here, and the TLSA records are computed from them before signing. First
// the project's own DNS client is checked against Unbound's answers, then the compiled CLI, then
// Postfix's posttls-finger, at `-l dane` through the same Unbound, as the referee of the DANE
// verdicts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, createLabPki, createSelfSigned, type LabLeaf, writePem } from '../../fixtures/certs.js';
import { cli } from '../../fixtures/cli-runner.js';
import { type ChildZone, type DnssecDns, startDnssecDns } from '../../fixtures/dnssec/dnssec-dns.js';
import { spkiSha256, tlsaRdata, tlsaRdataOf } from '../../fixtures/dnssec/tlsa.js';
import type { ZoneRecord } from '../../fixtures/dnssec/zone-file.js';
import { type DaneFingerRun, fingerDane, type FingerTrust } from '../../fixtures/mta/posttls-finger.js';
import { type SmtpServerHandle, startSmtpServer } from '../../fixtures/smtp-server.js';
import { createResolver } from '../../src/dns/client.js';
import type { DomainResult, PolicyRecommendation, Resolver } from '../../src/types.js';
import { words } from '../helpers/words.js';

const NSD = { address: '127.0.0.170', port: 5370 };
const UNBOUND = { address: '127.0.0.171', port: 5371 };
/** The same Unbound on port 53, for posttls-finger: glibc's resolver knows no other port. */
const UNBOUND_53 = { address: UNBOUND.address, port: 53 };
/** mxtls --port: every fake MX listens here. */
const SMTP_PORT = 2570;
const PARENT = 'dnssec.test';

/** One recipient domain with a single MX host, `mx.<domain>`, on `host`. */
interface Case {
  domain: string;
  zone: string;
  host: string;
  /** TLSA RDATA for `_25._tcp.mx.<domain>`, from the certificates made at start. */
  tlsa?: (certs: Certs) => string;
  /** What the server presents; default its lab leaf and the intermediate. */
  serves?: (certs: Certs, leaf: LabLeaf) => { certPem: string; keyPem: string };
}

interface Certs {
  /** The leaf every MX serves (after it, the intermediate). */
  leafPem: string;
  intermediatePem: string;
  /** A certificate whose key no server has. */
  strangerPem: string;
  /** The lab root, the scanner's --ca-file. */
  rootPem: string;
  /** Self-signed, empty subject, no extensions, expired, a key of its own: all DANE-EE looks at is the key. */
  keyOnly: { certPem: string; keyPem: string };
}

const SECURE = `secure.${PARENT}`;
const INSECURE = `insecure.${PARENT}`;
const BOGUS = `bogus.${PARENT}`;

const CASES = {
  ee: { domain: `ee.${SECURE}`, zone: SECURE, host: '127.0.0.172', tlsa: (c) => tlsaRdata(3, c.leafPem) },
  ta: { domain: `ta.${SECURE}`, zone: SECURE, host: '127.0.0.173', tlsa: (c) => tlsaRdata(2, c.intermediatePem) },
  mismatch: { domain: `mismatch.${SECURE}`, zone: SECURE, host: '127.0.0.174', tlsa: (c) => tlsaRdata(3, c.strangerPem) },
  noTlsa: { domain: `notlsa.${SECURE}`, zone: SECURE, host: '127.0.0.175' },
  // The zone apex, so the delegation itself is what makes it insecure.
  insecure: { domain: INSECURE, zone: INSECURE, host: '127.0.0.176', tlsa: (c) => tlsaRdata(3, c.leafPem) },
  bogus: { domain: BOGUS, zone: BOGUS, host: '127.0.0.177', tlsa: (c) => tlsaRdata(3, c.leafPem) },
  // Issue 12, class 1: a key-only certificate behind DANE-EE; Postfix delivers to it.
  keyonly: { domain: `keyonly.${SECURE}`, zone: SECURE, host: '127.0.0.178', tlsa: (c) => tlsaRdata(3, c.keyOnly.certPem), serves: (c) => c.keyOnly },
  // Issue 12, class 5: the server sends its root (which the scanner also trusts), and a
  // full-certificate DANE-TA record names that root: OpenSSL matches it at depth 2.
  rootsent: {
    domain: `rootsent.${SECURE}`,
    zone: SECURE,
    host: '127.0.0.179',
    tlsa: (c) => tlsaRdataOf(2, 0, 1, c.rootPem),
    serves: (c, leaf) => ({ certPem: leaf.chainPem + c.rootPem, keyPem: leaf.keyPem }),
  },
} satisfies Record<string, Case>;

/** A signed domain whose MX host is in the unsigned zone: MX validated, addresses not. */
const PARTIAL = { domain: `partial.${SECURE}`, mx: `mx.${INSECURE}` };

const mxOf = (c: Case) => `mx.${c.domain}`;
const tlsaName = (c: Case) => `_25._tcp.${mxOf(c)}`;
/**
 * Where Postfix looks for the same records: a TLSA owner names the port (RFC 6698 §3), and
 * posttls-finger asks for the one it connects to, SMTP_PORT. mxtls, a domain scanner, always
 * asks for port 25 (the SMTP port of RFC 7672), so every RRset is published at both owners.
 */
const postfixTlsaName = (c: Case) => `_${SMTP_PORT}._tcp.${mxOf(c)}`;

function childZones(certs: Certs): ChildZone[] {
  const records = (zone: string): ZoneRecord[] =>
    Object.values(CASES as Record<string, Case>)
      .filter((c) => c.zone === zone)
      .flatMap((c) => {
        const tlsa = c.tlsa?.(certs);
        return [
          { owner: c.domain, type: 'MX', data: `10 ${mxOf(c)}.` },
          { owner: mxOf(c), type: 'A', data: c.host },
          ...(tlsa ? [tlsaName(c), postfixTlsaName(c)].map((owner) => ({ owner, type: 'TLSA', data: tlsa })) : []),
        ];
      });
  return [
    { name: SECURE, signing: 'secure', records: [...records(SECURE), { owner: PARTIAL.domain, type: 'MX', data: `10 ${PARTIAL.mx}.` }] },
    { name: INSECURE, signing: 'insecure', records: records(INSECURE) },
    { name: BOGUS, signing: 'bogus', records: records(BOGUS) },
  ];
}

/** Why this file cannot run here, or undefined when it can. On CI it must run: throws. */
function skipReason(): string | undefined {
  const missing = ['nsd', 'unbound', 'ldns-keygen', 'ldns-signzone', 'posttls-finger', 'unshare', 'mount'].filter((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0);
  const reason =
    process.getuid?.() !== 0
      ? 'needs root (Unbound on port 53 and a mount namespace, for posttls-finger)'
      : missing.length > 0
        ? `needs ${missing.join(', ')} (Debian's nsd, unbound, ldnsutils, postfix; scripts/ensure-debian-packages.sh installs them)`
        : undefined;
  if (reason === undefined) return undefined;
  if (process.env.CI) throw new Error(`the DNSSEC interop tests cannot run on CI: ${reason}`);
  // A skipped suite's name is not shown by the default reporter: say why out loud.
  console.warn(`DNSSEC interop tests skipped: ${reason}`);
  return reason;
}

const skip = skipReason();

describe.skipIf(skip !== undefined)(`DANE over a validating resolver${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dns: DnssecDns | undefined;
  let certs: Certs;
  let caFile: string;
  const smtp = new Map<string, SmtpServerHandle>();
  let dir: string | undefined;
  const resolver: Resolver = createResolver({ resolvers: [UNBOUND], timeoutMs: 2000 });

  beforeAll(async () => {
    const pki = await createLabPki();
    // Leaves share the lab's leaf key, so the stranger needs a key of its own.
    const stranger = await createSelfSigned({ dnsNames: [`stranger.${PARENT}`], freshKey: true });
    // A fresh key too: with the leaves' key, the `ee` record would match it as well.
    const day = 86_400_000;
    const keyOnly = await createCertificate({ subject: null, basicConstraints: 'none', notBefore: new Date(Date.now() - 400 * day), notAfter: new Date(Date.now() - 10 * day), freshKey: true });
    const leaves = new Map(await Promise.all(Object.values(CASES as Record<string, Case>).map(async (c) => [c.domain, await pki.leaf({ dnsNames: [mxOf(c)] })] as const)));
    // All leaves share one key: any of them stands for "the leaf" in a TLSA record.
    certs = { leafPem: leaves.get(CASES.ee.domain)!.certPem, intermediatePem: pki.intermediate.certPem, strangerPem: stranger.certPem, rootPem: pki.root.certPem, keyOnly };
    dir = mkdtempSync(join(tmpdir(), 'mxtls-dane-'));
    caFile = writePem(dir, 'lab-ca.pem', pki.root.certPem);
    for (const c of Object.values(CASES as Record<string, Case>)) {
      const leaf = leaves.get(c.domain)!;
      const tls = c.serves?.(certs, leaf) ?? { certPem: leaf.chainPem, keyPem: leaf.keyPem };
      smtp.set(c.domain, await startSmtpServer({ host: c.host, port: SMTP_PORT, behaviour: 'normal', banner: mxOf(c), tls }));
    }
    dns = await startDnssecDns({ parent: PARENT, children: childZones(certs), authoritative: NSD, resolver: UNBOUND, resolverAlsoOn: [UNBOUND_53] });
  });

  afterAll(async () => {
    await Promise.allSettled([dns?.close(), ...[...smtp.values()].map((s) => s.close())]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The daemons' logs go with a failing DNS assertion: they say why an answer was bogus. */
  const logs = () => dns?.logs() ?? '';

  describe('the DNS client', () => {
    it('gets validated answers from the signed zone', async () => {
      const mx = await resolver.mx(CASES.ee.domain);
      expect(mx, logs()).toMatchObject({ status: 'ok', authenticated: true, records: [{ preference: 10, exchange: mxOf(CASES.ee) }] });
      expect(await resolver.a(mxOf(CASES.ee))).toMatchObject({ status: 'ok', authenticated: true, records: [CASES.ee.host] });
    });

    it('decodes validated TLSA records', async () => {
      expect(await resolver.tlsa!(tlsaName(CASES.ee))).toMatchObject({
        status: 'ok',
        authenticated: true,
        records: [{ usage: 3, selector: 1, matchingType: 1, data: spkiSha256(certs.leafPem) }],
      });
      expect(await resolver.tlsa!(tlsaName(CASES.ta))).toMatchObject({
        status: 'ok',
        authenticated: true,
        records: [{ usage: 2, selector: 1, matchingType: 1, data: spkiSha256(certs.intermediatePem) }],
      });
    });

    it('decodes a full-certificate 2 0 1 record, published alike where mxtls and where Postfix look', async () => {
      const at25 = await resolver.tlsa!(tlsaName(CASES.rootsent));
      expect(at25, logs()).toMatchObject({ status: 'ok', authenticated: true, records: [{ usage: 2, selector: 0, matchingType: 1 }] });
      const atPort = await resolver.tlsa!(postfixTlsaName(CASES.rootsent));
      expect({ authenticated: atPort.authenticated, records: atPort.records }).toEqual({ authenticated: true, records: at25.records });
    });

    it('gets a validated denial for a signed host without TLSA', async () => {
      const tlsa = await resolver.tlsa!(tlsaName(CASES.noTlsa));
      expect(tlsa.records).toEqual([]);
      expect(tlsa.status).toMatch(/^(nxdomain|nodata)$/);
      expect(tlsa.authenticated, logs()).toBe(true);
    });

    it('gets unvalidated answers from the unsigned child', async () => {
      expect(await resolver.mx(CASES.insecure.domain)).toMatchObject({ status: 'ok', authenticated: false, records: [{ exchange: mxOf(CASES.insecure) }] });
      // The TLSA records are there, but nothing vouches for them.
      expect(await resolver.tlsa!(tlsaName(CASES.insecure))).toMatchObject({ status: 'ok', authenticated: false, records: [{ usage: 3, data: spkiSha256(certs.leafPem) }] });
    });

    it('validates the MX of a signed domain whose host is in the unsigned zone, but not the host', async () => {
      expect(await resolver.mx(PARTIAL.domain)).toMatchObject({ status: 'ok', authenticated: true, records: [{ exchange: PARTIAL.mx }] });
      expect(await resolver.a(PARTIAL.mx)).toMatchObject({ status: 'ok', authenticated: false });
    });

    it('reports the zone with expired signatures as bogus, not as a plain failure', async () => {
      expect(await resolver.mx(CASES.bogus.domain)).toMatchObject({ status: 'bogus', authenticated: false, records: [] });
      expect(await resolver.tlsa!(tlsaName(CASES.bogus))).toMatchObject({ status: 'bogus', records: [] });
    });
  });

  describe('mxtls scan', () => {
    type Scanned = DomainResult & { policy: PolicyRecommendation };
    const domains = [...Object.values(CASES as Record<string, Case>).map((c) => c.domain), PARTIAL.domain];
    let results: Map<string, Scanned>;
    let policyFile: string;

    beforeAll(async () => {
      const common = ['scan', '--resolver', `${UNBOUND.address}:${UNBOUND.port}`, '--port', String(SMTP_PORT), '--ca-file', caFile, '--timeout', '5', '--ehlo', `mxtls.${PARENT}`];
      const [json, policy] = await Promise.all([cli([...common, '--format', 'ndjson', '--detail', 'full', ...domains]), cli([...common, '--format', 'policy', ...domains])]);
      const lines = json.stdout.trim().split('\n').filter((l) => l !== '');
      if (lines.length === 0) throw new Error(`mxtls printed no results (exit ${json.code})\n${json.stderr}`);
      results = new Map(lines.map((l) => JSON.parse(l) as Scanned).map((r) => [r.domain, r]));
      policyFile = policy.stdout;
    }, 60_000);

    /** What a case is about, in one object, so a failure shows all of it at once. */
    function view(domain: string) {
      const r = results.get(domain);
      if (!r) throw new Error(`no result for ${domain}`);
      const host = r.hosts[0];
      return {
        status: r.status,
        dnssec: r.dnssec,
        level: r.policy.level,
        hostDane: host?.dane ? { status: host.dane.status, tlsaName: host.dane.tlsaName, usable: host.dane.usable } : undefined,
        addressDane: host?.addresses[0]?.dane,
      };
    }

    const tlsaHost = (c: Case, usable: number) => ({ status: 'tlsa', tlsaName: tlsaName(c), usable });

    it.each([
      ['DANE-EE match', CASES.ee.domain, { status: 'scanned', dnssec: 'secure', level: 'dane-only', hostDane: tlsaHost(CASES.ee, 1), addressDane: { matched: true, by: { usage: 3, selector: 1, matchingType: 1, depth: 0 } } }],
      ['DANE-TA match', CASES.ta.domain, { status: 'scanned', dnssec: 'secure', level: 'dane-only', hostDane: tlsaHost(CASES.ta, 1), addressDane: { matched: true, by: { usage: 2, selector: 1, matchingType: 1, depth: 1 } } }],
      // Empty subject, expired: DANE-EE ignores both (RFC 7671 §5.1).
      ['DANE-EE match, key-only certificate', CASES.keyonly.domain, { status: 'scanned', dnssec: 'secure', level: 'dane-only', hostDane: tlsaHost(CASES.keyonly, 1), addressDane: { matched: true, by: { usage: 3, selector: 1, matchingType: 1, depth: 0 } } }],
      // The root is sent, so it is found at depth 2 of the chain as sent (issue 12, class 5).
      ['DANE-TA 2 0 1 match on a root the server sends', CASES.rootsent.domain, { status: 'scanned', dnssec: 'secure', level: 'dane-only', hostDane: tlsaHost(CASES.rootsent, 1), addressDane: { matched: true, by: { usage: 2, selector: 0, matchingType: 1, depth: 2 } } }],
      ['TLSA mismatch', CASES.mismatch.domain, { status: 'scanned', dnssec: 'secure', level: 'dane', hostDane: tlsaHost(CASES.mismatch, 1), addressDane: { matched: false, failure: 'no-match' } }],
      ['signed, no TLSA', CASES.noTlsa.domain, { status: 'scanned', dnssec: 'secure', level: 'verify', hostDane: { status: 'no-tlsa', tlsaName: tlsaName(CASES.noTlsa), usable: 0 }, addressDane: undefined }],
      // TLSA in an unsigned zone is never looked up: the MX answer is not validated.
      ['unsigned zone with TLSA', CASES.insecure.domain, { status: 'scanned', dnssec: 'insecure', level: 'verify', hostDane: { status: 'not-applicable', tlsaName: undefined, usable: 0 }, addressDane: undefined }],
      ['signed MX, unsigned host', PARTIAL.domain, { status: 'scanned', dnssec: 'partial', level: 'verify', hostDane: { status: 'not-applicable', tlsaName: undefined, usable: 0 }, addressDane: undefined }],
    ] as const)('%s: %s', (_what, domain, expected) => {
      expect(view(domain), JSON.stringify(words(results.get(domain)!.policy).reasons)).toEqual(expected);
    });

    it('reports the bogus zone as a DNS failure and never connects to its MX', () => {
      const r = results.get(CASES.bogus.domain)!;
      expect({ status: r.status, dnssec: r.dnssec, reason: r.mx.status === 'dns-error' ? r.mx.reason : r.mx.status, kind: r.policy.kind, level: r.policy.level }).toEqual({
        status: 'dns-error',
        dnssec: 'bogus',
        reason: 'bogus',
        kind: 'unknown',
        level: undefined,
      });
      expect(smtp.get(CASES.bogus.domain)!.connectionsTo(CASES.bogus.host)).toBe(0);
    });

    it('writes dane-only for matches, dane with an alert for the mismatch, no DANE without DNSSEC, no line for bogus', () => {
      const lines = policyFile.split('\n');
      const entries = new Map(lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/)).map(([domain, level]) => [domain, level]));
      expect(Object.fromEntries(entries)).toEqual({
        [CASES.ee.domain]: 'dane-only',
        [CASES.ta.domain]: 'dane-only',
        [CASES.keyonly.domain]: 'dane-only',
        [CASES.rootsent.domain]: 'dane-only',
        [CASES.mismatch.domain]: 'dane',
        [CASES.noTlsa.domain]: 'verify',
        [CASES.insecure.domain]: 'verify',
        [PARTIAL.domain]: 'verify',
      });
      expect(lines.filter((l) => l.startsWith('#') && l.includes('ALERT') && l.includes(CASES.mismatch.domain)), policyFile).not.toEqual([]);
      expect(lines.some((l) => l.startsWith(`# ${CASES.bogus.domain}:`)), policyFile).toBe(true);
    });

    // Postfix's own verdict on the same servers through the same resolver: a `dane-only` line is
    // only honest if Postfix would deliver verified, and mxtls's "matched at depth N" only if
    // OpenSSL's DANE code says the same depth.
    describe('posttls-finger as the DANE referee', () => {
      /** One verdict, in terms both probers can state. */
      interface DaneView {
        verified: boolean;
        /** The matching record ("U S M") and the depth OpenSSL matched it at. */
        record?: string;
        depth?: number;
      }
      type Refereed = 'ee' | 'ta' | 'keyonly' | 'rootsent' | 'mismatch';
      /**
       * What Postfix 3.7 itself must say, independently of mxtls, so that agreement on a broken
       * lab cannot pass. The trust word too: "Untrusted" proves TLS was set up and the records
       * failed, where a missing line (no TLS at all) would also read as "not verified".
       */
      const POSTFIX_SAYS: Record<Refereed, { trust: FingerTrust; view: DaneView }> = {
        ee: { trust: 'Verified', view: { verified: true, record: '3 1 1', depth: 0 } },
        ta: { trust: 'Verified', view: { verified: true, record: '2 1 1', depth: 1 } },
        keyonly: { trust: 'Verified', view: { verified: true, record: '3 1 1', depth: 0 } },
        rootsent: { trust: 'Verified', view: { verified: true, record: '2 0 1', depth: 2 } },
        mismatch: { trust: 'Untrusted', view: { verified: false } },
      };
      const refereed = Object.keys(POSTFIX_SAYS) as Refereed[];
      const finger = new Map<Refereed, DaneFingerRun>();

      beforeAll(async () => {
        const runs = await Promise.all(refereed.map((k) => fingerDane({ domain: CASES[k].domain, port: SMTP_PORT, nameserver: UNBOUND_53.address })));
        refereed.forEach((k, i) => finger.set(k, runs[i]!));
      }, 60_000);

      afterAll(() => {
        if (finger.size === 0) return;
        const show = (v: DaneView) => (v.verified ? `verified by ${v.record ?? '?'} at depth ${v.depth ?? '?'}` : 'not verified');
        const rows = refereed.map((k) => `| ${k} | ${show(mxtlsDane(CASES[k].domain))} | ${show(fingerView(finger.get(k)!))} | ${finger.get(k)!.trust ?? 'no TLS'} |`);
        console.log(['| case | mxtls | posttls-finger | posttls-finger trust |', '| --- | --- | --- | --- |', ...rows].join('\n'));
      });

      function fingerView(run: DaneFingerRun): DaneView {
        const m = run.match;
        return { verified: run.trust === 'Verified', ...(m ? { record: `${m.usage} ${m.selector} ${m.matchingType}`, depth: m.depth } : {}) };
      }

      /** mxtls "verified" = its line is dane-only because the address's chain matched. */
      function mxtlsDane(domain: string): DaneView {
        const r = results.get(domain);
        const dane = r?.hosts[0]?.addresses[0]?.dane;
        const by = dane?.by;
        return { verified: r?.policy.level === 'dane-only' && dane?.matched === true, ...(by ? { record: `${by.usage} ${by.selector} ${by.matchingType}`, depth: by.depth } : {}) };
      }

      it.each(refereed)('%s: posttls-finger gives the verdict the lab is built for', (k) => {
        const run = finger.get(k)!;
        expect({ trust: run.trust, view: fingerView(run) }, run.lines.join('\n')).toEqual(POSTFIX_SAYS[k]);
      });

      it.each(refereed)('%s: mxtls agrees with posttls-finger', (k) => {
        const run = finger.get(k)!;
        expect(mxtlsDane(CASES[k].domain), `posttls-finger:\n${run.lines.join('\n')}\nmxtls: ${JSON.stringify(words(results.get(CASES[k].domain)!.policy).reasons)}`).toEqual(fingerView(run));
      });
    });
  });
});
