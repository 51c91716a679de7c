// Hostile servers, certificate part (issue 6, item 1): a 30-certificate chain, 1,000 SANs, and
// NUL, newline and control bytes in certificate names. The certificate summary must not crash,
// names with odd bytes must never match, and no name may break a policy line or a table cell.
import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, createIntermediate, createLabPki, createLeaf, createSelfSigned, type IssuedCert, type LabPki } from '../../fixtures/certs.js';
import { serveSecure, starttlsThen, type HostileServer } from '../../fixtures/hostile-servers.js';
import { MX, expectSafeOutputs, hostileServerPool, scanHostile } from '../helpers/hostile.js';

const HOST = '127.0.0.83';
const serve = hostileServerPool(HOST);
let pki: LabPki;

beforeAll(async () => {
  pki = await createLabPki();
});

/** A STARTTLS server presenting `chainPem` (leaf first). */
function serveChain(chainPem: string, keyPem: string): Promise<HostileServer> {
  const context = tls.createSecureContext({ cert: chainPem, key: keyPem });
  return serve(starttlsThen((conn) => serveSecure(conn.startTls(context))));
}

const ODD_NAMES = [
  `${MX}\u0000.evil.test`,
  'evil.test\n# injected.test verify',
  'evil.test\r\ninjected.test verify',
  '\u001b[2J\u001b[31mred.test',
  `${MX}\u0007`,
  `\u007f${MX}`,
  'tab\u0009.test',
];

describe('hostile certificates', () => {
  it('a 30-certificate chain: summarized, bounded, the scan completes', async () => {
    const root = await createCa({ name: 'Hostile Deep Root', keyType: 'ecdsa' });
    let issuer: IssuedCert = root;
    const intermediates: IssuedCert[] = [];
    for (let i = 1; i <= 29; i++) {
      issuer = await createIntermediate(issuer, { name: `Hostile Deep Intermediate ${i}`, keyType: 'ecdsa' });
      intermediates.unshift(issuer);
    }
    const leaf = await createLeaf(issuer, { dnsNames: [MX], keyType: 'ecdsa' });
    const server = await serveChain([leaf.certPem, ...intermediates.map((c) => c.certPem)].join(''), leaf.keyPem);
    const s = await scanHostile(HOST, server.port, {}, [root.certPem]);
    expect(s.probe.failure).toBeUndefined();
    expect(s.probe.stage).toBe('done');
    const chain = s.probe.tls?.chain ?? [];
    expect(chain).toHaveLength(30); // as sent: the leaf and 29 intermediates (the local root is dropped)
    expect(chain[0]?.dnsNames).toEqual([MX]);
    // Intermediates with pathLenConstraint 0 stacked 29 deep do not verify; either way the
    // verdict is a verdict, not a crash.
    expect(typeof s.probe.tls?.trust.trusted).toBe('boolean');
    expect(s.elapsedMs).toBeLessThan(2000);
    expectSafeOutputs(s);
  });

  it('1,000 SANs: all read, the MX name among them matches, output stays bounded', async () => {
    const names = Array.from({ length: 999 }, (_, i) => `filler-${i}.hostile.test`);
    const leaf = await pki.leaf({ dnsNames: [...names, MX] });
    const server = await serveChain(leaf.chainPem, leaf.keyPem);
    const s = await scanHostile(HOST, server.port, {}, [pki.root.certPem]);
    expect(s.probe.failure).toBeUndefined();
    expect(s.probe.tls?.chain[0]?.dnsNames).toHaveLength(1000);
    expect(s.result.hosts[0]?.addresses[0]?.names).toMatchObject({ hostname: true, matchedBy: MX });
    expect(s.rec).toMatchObject({ kind: 'line', level: 'verify' });
    expect(s.elapsedMs).toBeLessThan(2000);
    expectSafeOutputs(s);
  });

  it('2,000 SANs without the MX name and a CN that is the MX name: the SANs decide, as in Postfix', async () => {
    const names = Array.from({ length: 2000 }, (_, i) => `filler-${i}.hostile.test`);
    const leaf = await pki.leaf({ dnsNames: names, cn: MX });
    const server = await serveChain(leaf.chainPem, leaf.keyPem);
    const s = await scanHostile(HOST, server.port, {}, [pki.root.certPem]);
    expect(s.probe.failure).toBeUndefined();
    expect(s.probe.tls?.chain[0]?.dnsNames).toHaveLength(2000);
    // Falling back to the CN here would recommend `verify` where Postfix's check fails.
    expect(s.result.hosts[0]?.addresses[0]?.names?.hostname).toBe(false);
    expect(s.rec).toMatchObject({ kind: 'line', level: 'encrypt' });
    expect(s.elapsedMs).toBeLessThan(2000);
    expectSafeOutputs(s);
  });

  it('NUL, newline and control bytes in SANs: kept as bytes, never matched, never a line break', async () => {
    const leaf = await pki.leaf({ dnsNames: ODD_NAMES, cn: MX });
    const server = await serveChain(leaf.chainPem, leaf.keyPem);
    const s = await scanHostile(HOST, server.port, {}, [pki.root.certPem]);
    expect(s.probe.failure).toBeUndefined();
    expect(s.probe.tls?.trust.trusted).toBe(true);
    expect(s.probe.tls?.chain[0]?.dnsNames).toEqual(ODD_NAMES);
    // SANs are present, so the CN (which is the MX name) does not count, as in Postfix. OpenSSL's
    // sub-domain check (".hostile.test", Postfix's dot-nexthop) compares only the suffix and so
    // accepts "\x7fmx.hostile.test": that is Postfix's verdict too, and it changes no level.
    expect(s.result.hosts[0]?.addresses[0]?.names).toMatchObject({ hostname: false, nexthop: false, dotNexthop: true });
    expect(s.result.hosts[0]?.observation).toBe('name-mismatch');
    expect(s.rec).toMatchObject({ kind: 'line', level: 'encrypt' });
    expectSafeOutputs(s, ['# injected.test', 'injected.test verify', 'red.test']);
  });

  it('control bytes in the subject CN of a self-signed certificate without SANs', async () => {
    const cert = await createSelfSigned({ dnsNames: [], cn: `${MX}\n# injected.test verify\u0000\u001b[2J` });
    const server = await serveChain(cert.certPem, cert.keyPem);
    const s = await scanHostile(HOST, server.port, {}, [pki.root.certPem]);
    expect(s.probe.failure).toBeUndefined();
    expect(s.probe.tls?.trust.trusted).toBe(false);
    expect(s.probe.tls?.chain[0]?.subjectCN).toEqual([`${MX}\n# injected.test verify\u0000\u001b[2J`]);
    expect(s.result.hosts[0]?.addresses[0]?.names?.hostname).toBe(false);
    expect(s.rec).toMatchObject({ kind: 'line', level: 'encrypt' });
    expectSafeOutputs(s, ['# injected.test', 'injected.test verify']);
  });
});
