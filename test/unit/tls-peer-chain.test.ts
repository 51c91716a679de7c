import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCa, createIntermediate, createLeaf, createSelfSigned, type IssuedCert } from '../../fixtures/certs.js';
import { detailedChain, sentChainInNodeOrder, sentChainReadable } from '../../src/tls/peer-chain.js';
import type { TrustStore } from '../../src/types.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

let root: IssuedCert;
let intermediate: IssuedCert;
let leaf: IssuedCert;
let unrelated: IssuedCert;
let selfSigned: IssuedCert;

beforeAll(async () => {
  root = await createCa({ name: 'Chain Root CA' });
  intermediate = await createIntermediate(root, { name: 'Chain Intermediate CA' });
  leaf = await createLeaf(intermediate, { dnsNames: ['mx.chain.test'] });
  unrelated = await createCa({ name: 'Unrelated CA' });
  selfSigned = await createSelfSigned({ dnsNames: ['mx.chain.test'] });
});

/** Both chains of one handshake: Node's detailed one and ours from getPeerX509Certificate(). */
async function bothChains(key: string, sent: IssuedCert[], trust: TrustStore): Promise<{ node: string[]; ours: string[] }> {
  const server = tls.createServer({ key, cert: sent.map((c) => c.certPem).join('') }, (s) => s.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => server.close());
  const socket = tls.connect({
    port: (server.address() as { port: number }).port,
    host: '127.0.0.1',
    servername: 'mx.chain.test',
    secureContext: tls.createSecureContext({ ca: trust.ca }),
    rejectUnauthorized: false,
  });
  cleanups.push(() => socket.destroy());
  await once(socket, 'secureConnect');
  const ours = sentChainInNodeOrder(socket.getPeerX509Certificate(), trust).map((c) => c.sha256);
  const node = detailedChain(socket.getPeerCertificate(true)).map((c) => c.sha256);
  return { node, ours };
}

const fingerprints = (...certs: IssuedCert[]): string[] => certs.map((c) => new X509Certificate(c.certPem).fingerprint256);

describe('sentChainReadable', () => {
  it('allows getPeerX509Certificate() from Node 24 on, where it was measured safe', () => {
    expect(sentChainReadable('20.20.2')).toBe(false);
    expect(sentChainReadable('22.12.0')).toBe(false);
    expect(sentChainReadable('24.22.3')).toBe(true);
    expect(sentChainReadable('26.12.1')).toBe(true);
  });
});

// On Node 20 getPeerX509Certificate() empties the chain and leaks (peer-chain.ts), so the
// comparison runs where mxtls uses it: the Node 24 pass of .ci/run.
describe.skipIf(!sentChainReadable())('sentChainInNodeOrder gives the chain getPeerCertificate(true) gives', () => {
  const store = (...certs: IssuedCert[]): TrustStore => ({ ca: certs.map((c) => c.certPem), source: 'test' });
  const cases: Array<[string, () => { sent: IssuedCert[]; trust: TrustStore; expected: IssuedCert[]; key?: string }]> = [
    ['leaf, intermediate, root (root in the store)', () => ({ sent: [leaf, intermediate, root], trust: store(root), expected: [leaf, intermediate, root] })],
    ['leaf, root, intermediate: put into issuer order', () => ({ sent: [leaf, root, intermediate], trust: store(root), expected: [leaf, intermediate, root] })],
    ['leaf, intermediate, unrelated CA: the unrelated one left out, the root appended from the store', () => ({
      sent: [leaf, intermediate, unrelated], trust: store(root), expected: [leaf, intermediate, root],
    })],
    ['leaf and intermediate: the root appended from the store', () => ({ sent: [leaf, intermediate], trust: store(root), expected: [leaf, intermediate, root] })],
    ['a lone leaf whose intermediate is in the store', () => ({ sent: [leaf], trust: store(root, intermediate), expected: [leaf, intermediate, root] })],
    ['a lone leaf, nothing of its chain in the store', () => ({ sent: [leaf], trust: store(unrelated), expected: [leaf] })],
    ['a chain into a root we do not trust', () => ({ sent: [leaf, intermediate], trust: store(unrelated), expected: [leaf, intermediate] })],
    ['an empty store (the sentChain probe)', () => ({ sent: [leaf, intermediate, root], trust: store(), expected: [leaf, intermediate, root] })],
    ['a self-signed leaf', () => ({ sent: [selfSigned], trust: store(root), expected: [selfSigned], key: selfSigned.keyPem })],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const { sent, trust, expected, key } = make();
      const { node, ours } = await bothChains(key ?? leaf.keyPem, sent, trust);
      expect(node).toEqual(fingerprints(...expected));
      expect(ours).toEqual(node);
    });
  }
});
