import net from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runtimeHasMlKem, runtimeNamesMlKem } from '../../fixtures/ml-kem.js';
import { createCa, createLabPki, createLeaf, createSelfSigned, type LabPki, type LabLeaf } from '../../fixtures/certs.js';
import { upgradeToTls, type HandshakeOptions, type HandshakeOutcome } from '../../src/tls/handshake.js';
import type { TrustStore } from '../../src/types.js';

const DAY = 86_400_000;
/** Whether this Node negotiates and names ML-KEM groups (Node 24+), found by trying. */
const namesMlKem = await runtimeNamesMlKem();
const HOST = '127.0.0.1';

let pki: LabPki;
let good: LabLeaf;
let trust: TrustStore;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  pki = await createLabPki();
  good = await pki.leaf({ dnsNames: ['mx.example.com'] });
  trust = { ca: [pki.root.certPem], source: 'lab root' };
});

afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

interface FakeServer {
  port: number;
  /** SNI names the server saw, one per handshake (false when none was sent). */
  servernames: Array<string | false>;
  /** TLS errors seen on the server side, by code. */
  serverErrors: string[];
}

/**
 * A minimal STARTTLS-like server: plain TCP, a "220" line, then a server-side TLSSocket over
 * the same connection, as a real MX does after "220 Ready to start TLS". With `tlsOptions`
 * null it never speaks TLS (the handshake hangs); with 'close' / 'reset' it hangs up instead.
 */
async function startServer(tlsOptions: tls.SecureContextOptions | null | 'close' | 'reset', host = HOST): Promise<FakeServer> {
  const info: FakeServer = { port: 0, servernames: [], serverErrors: [] };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    sock.write('220 ready\r\n');
    if (tlsOptions === null) return; // swallow the ClientHello and never answer
    if (tlsOptions === 'close' || tlsOptions === 'reset') {
      sock.once('data', () => (tlsOptions === 'close' ? sock.end() : sock.resetAndDestroy()));
      return;
    }
    const secure = new tls.TLSSocket(sock, { isServer: true, secureContext: tls.createSecureContext(tlsOptions) });
    secure.on('error', (err: NodeJS.ErrnoException) => info.serverErrors.push(err.code ?? err.message));
    secure.on('secure', () => info.servernames.push((secure as unknown as { servername: string | false }).servername));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  info.port = (server.address() as net.AddressInfo).port;
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return info;
}

/** Connects in plain text, reads the 220 line, and hands the socket over like the SMTP layer. */
async function plainAfterGreeting(port: number, host = HOST): Promise<net.Socket> {
  const sock = net.connect(port, host);
  cleanups.push(() => sock.destroy());
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.once('data', () => {
      sock.removeListener('error', reject);
      resolve();
    });
  });
  return sock;
}

async function handshake(server: FakeServer, opts: Partial<HandshakeOptions> = {}): Promise<HandshakeOutcome> {
  const plain = await plainAfterGreeting(server.port);
  const outcome = await upgradeToTls(plain, { servername: 'mx.example.com', trust, timeoutMs: 5000, legacy: false, ...opts });
  if (outcome.ok) cleanups.push(() => outcome.socket.destroy());
  return outcome;
}

/** The server side finishes after the client (TLS 1.3 client Finished), so wait for it. */
async function sawSecure(server: FakeServer): Promise<Array<string | false>> {
  for (let i = 0; i < 100 && server.servernames.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  return server.servernames;
}

function ok(outcome: HandshakeOutcome) {
  if (!outcome.ok) throw new Error(`handshake failed: ${outcome.kind} ${outcome.code ?? ''} ${outcome.message}`);
  return outcome;
}

describe('upgradeToTls: trust and chain', () => {
  it('verifies a full chain against the lab root and captures what the server sent', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem });
    const { details, socket } = ok(await handshake(server));
    expect(details.protocol).toBe('TLSv1.3');
    expect(details.cipher).toMatch(/^TLS_AES_|^TLS_CHACHA20_/);
    expect(details.cipherOpenssl).toBe(details.cipher); // TLS 1.3 suites have one name
    // The group depends on the runtime's OpenSSL defaults; 'upgradeToTls: key exchange' pins it.
    expect(details.keyExchange).toBeDefined();
    expect(details.trust).toEqual({ trusted: true, verdict: 'trusted' });
    // Node appends the lab root from our store; the chain reports only what the server sent.
    expect(details.chain.map((c) => c.subjectCN[0])).toEqual(['mx.example.com', 'mxtls Lab Intermediate CA']);
    expect(details.chain[0]!.dnsNames).toEqual(['mx.example.com']);
    expect(details.legacyOnly).toBe(false);
    expect(socket.encrypted).toBe(true);
    expect(await sawSecure(server)).toEqual(['mx.example.com']);
  });

  it('keeps a socket that still works after the handshake', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem });
    const { socket } = ok(await handshake(server));
    // The caller gets the socket with the peer chain intact, and Node's own getPeerCertificate
    // back where the handshake skipped it (peer-chain.ts, skipDetailedChain).
    expect(socket.getPeerCertificate(true).subject?.CN).toBe('mx.example.com');
    expect(socket.destroyed).toBe(false);
  });

  it('judges trust apart from names: a trusted certificate for another name stays trusted', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem });
    const { details } = ok(await handshake(server, { servername: 'other.example.net' }));
    expect(details.trust).toEqual({ trusted: true, verdict: 'trusted' });
  });

  it('reports a self-signed certificate', async () => {
    const ss = await createSelfSigned({ dnsNames: ['mx.example.com'] });
    const server = await startServer({ key: ss.keyPem, cert: ss.certPem });
    const { details } = ok(await handshake(server));
    expect(details.trust).toEqual({ trusted: false, verdict: 'self-signed', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(details.chain).toHaveLength(1);
    expect(details.chain[0]!.selfIssued).toBe(true);
  });

  it('reports an expired leaf', async () => {
    const old = await pki.leaf({ dnsNames: ['mx.example.com'], notBefore: new Date(Date.now() - 100 * DAY), notAfter: new Date(Date.now() - DAY) });
    const server = await startServer({ key: old.keyPem, cert: old.chainPem });
    const { details } = ok(await handshake(server));
    expect(details.trust).toEqual({ trusted: false, verdict: 'expired', code: 'CERT_HAS_EXPIRED' });
  });

  it('reports a leaf that is not valid yet', async () => {
    const future = await pki.leaf({ dnsNames: ['mx.example.com'], notBefore: new Date(Date.now() + 10 * DAY), notAfter: new Date(Date.now() + 100 * DAY) });
    const server = await startServer({ key: future.keyPem, cert: future.chainPem });
    const { details } = ok(await handshake(server));
    expect(details.trust).toMatchObject({ trusted: false, verdict: 'not-yet-valid', code: 'CERT_NOT_YET_VALID' });
  });

  it('recognises the missing intermediate', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.certPem });
    const { details } = ok(await handshake(server));
    expect(details.trust).toEqual({ trusted: false, verdict: 'incomplete-chain', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(details.chain).toHaveLength(1);
  });

  it('reports a chain that leads to a root we do not trust', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem + pki.root.certPem });
    const other = await createCa({ name: 'Handshake Test Other Root' });
    const { details } = ok(await handshake(server, { trust: { ca: [other.certPem], source: 'other' } }));
    expect(details.trust).toEqual({ trusted: false, verdict: 'unknown-issuer', code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    // The root was sent and is not in our store: it stays in the chain.
    expect(details.chain.map((c) => c.subjectCN[0])).toEqual(['mx.example.com', 'mxtls Lab Intermediate CA', 'mxtls Lab Root CA']);
  });

  it('reports a chain without its root and a store without it as unknown-issuer, not incomplete', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem });
    const other = await createCa({ name: 'Handshake Test Other Root' });
    const { details } = ok(await handshake(server, { trust: { ca: [other.certPem], source: 'other' } }));
    expect(details.trust).toEqual({ trusted: false, verdict: 'unknown-issuer', code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
    expect(details.chain).toHaveLength(2);
  });

  it('cannot tell a root the server sent from one Node appended from our store (caveat)', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem + pki.root.certPem });
    const { details } = ok(await handshake(server));
    expect(details.trust.verdict).toBe('trusted');
    expect(details.chain).toHaveLength(2);
  });

  it('handles an ECDSA certificate', async () => {
    const ec = await pki.leaf({ dnsNames: ['mx.example.com'], keyType: 'ecdsa' });
    const server = await startServer({ key: ec.keyPem, cert: ec.chainPem, maxVersion: 'TLSv1.2' });
    const { details } = ok(await handshake(server));
    expect(details.trust.verdict).toBe('trusted');
    expect(details.chain[0]).toMatchObject({ keyType: 'ec', keyCurve: 'prime256v1' });
    expect(details.cipherOpenssl).toMatch(/^ECDHE-ECDSA-/);
    expect(details.cipher).toMatch(/^TLS_ECDHE_ECDSA_WITH_/);
  });
});

describe('upgradeToTls: protocol versions', () => {
  it('reads the negotiated version from getProtocol() with a TLS 1.2 server', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem, maxVersion: 'TLSv1.2' });
    const { details } = ok(await handshake(server));
    expect(details.protocol).toBe('TLSv1.2');
    expect(details.cipherOpenssl).toMatch(/^ECDHE-RSA-/);
    expect(details.cipher).toMatch(/^TLS_ECDHE_RSA_WITH_/);
    expect(details.keyExchange?.type).toBe('ECDH');
  });

  // A TLS 1.0/1.1-only server needs @SECLEVEL=0 on its side too with OpenSSL 3.
  const oldOnly = (version: tls.SecureVersion): tls.SecureContextOptions => ({
    key: good.keyPem,
    cert: good.chainPem,
    minVersion: version,
    maxVersion: version,
    ciphers: 'DEFAULT:@SECLEVEL=0',
  });
  const tls10 = (): tls.SecureContextOptions => oldOnly('TLSv1');

  it.each(['TLSv1', 'TLSv1.1'] as const)('fails against a %s-only server by default, hinting that legacy mode might help', async (version) => {
    const server = await startServer(oldOnly(version));
    const outcome = await handshake(server);
    expect(outcome).toMatchObject({ ok: false, kind: 'tls-handshake-failed', code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', legacyMightHelp: true });
  });

  it.each(['TLSv1', 'TLSv1.1'] as const)('completes with a %s-only server in legacy mode', async (version) => {
    const server = await startServer(oldOnly(version));
    const { details } = ok(await handshake(server, { legacy: true }));
    expect(details.protocol).toBe(version);
    expect(details.trust.verdict).toBe('trusted');
    expect(details.cipherOpenssl).toMatch(/-SHA$/);
  });

  it('needs @SECLEVEL=0 for TLS 1.0: minVersion alone is not enough with OpenSSL 3', async () => {
    const server = await startServer(tls10());
    const plain = await plainAfterGreeting(server.port);
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const s = tls.connect({ socket: plain, minVersion: 'TLSv1', rejectUnauthorized: false, checkServerIdentity: () => undefined });
      cleanups.push(() => s.destroy());
      s.once('secureConnect', () => resolve(undefined));
      s.once('error', resolve);
    });
    // OpenSSL 3.0/3.1 offer TLS 1.0 at security level 1 but refuse its MD5+SHA-1 handshake
    // signature (ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED); OpenSSL 3.2+ (Node 22+) no
    // longer offer TLS 1.0/1.1 at level 1 at all, and the server answers with a protocol_version
    // alert. Both are the same fact for us: only the legacy retry can reach this server.
    expect(['ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION']).toContain(err?.code);
    const outcome = await handshake(server);
    expect(outcome).toMatchObject({ ok: false, kind: 'tls-handshake-failed', legacyMightHelp: true });
    ok(await handshake(server, { legacy: true }));
  });

  it('does not hint at legacy mode when the server simply is not TLS', async () => {
    // A server that answers the ClientHello with an SMTP line instead of TLS.
    const server = net.createServer((sock) => {
      sock.on('error', () => {});
      sock.write('220 ready\r\n');
      sock.once('data', () => sock.write('500 what?\r\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    cleanups.push(() => server.close());
    const plain = await plainAfterGreeting((server.address() as net.AddressInfo).port);
    const outcome = await upgradeToTls(plain, { servername: 'mx.example.com', trust, timeoutMs: 5000, legacy: false });
    expect(outcome).toMatchObject({ ok: false, kind: 'tls-handshake-failed', code: 'ERR_SSL_WRONG_VERSION_NUMBER', legacyMightHelp: false });
    expect(plain.destroyed).toBe(true);
  });
});

describe('upgradeToTls: SNI', () => {
  it('omits SNI for an IP literal', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem });
    ok(await handshake(server, { servername: '127.0.0.1' }));
    expect(await sawSecure(server)).toEqual([false]);
  });

  it('sends SNI without the trailing dot', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem });
    ok(await handshake(server, { servername: 'mx.example.com.' }));
    expect(await sawSecure(server)).toEqual(['mx.example.com']);
  });
});

describe('upgradeToTls: failures', () => {
  it('times out a server that never answers the ClientHello, within timeoutMs + margin', async () => {
    const server = await startServer(null);
    const plain = await plainAfterGreeting(server.port);
    const started = performance.now();
    const outcome = await upgradeToTls(plain, { servername: 'mx.example.com', trust, timeoutMs: 300, legacy: false });
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ ok: false, kind: 'tls-timeout', legacyMightHelp: false });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 1000);
    expect(plain.destroyed).toBe(true);
  });

  it('reports a server that hangs up during the handshake as connection-closed', async () => {
    const server = await startServer('close');
    const outcome = await handshake(server);
    expect(outcome).toMatchObject({ ok: false, kind: 'connection-closed', legacyMightHelp: false });
  });

  it('reports a TCP reset during the handshake as connection-reset', async () => {
    const server = await startServer('reset');
    const outcome = await handshake(server);
    expect(outcome).toMatchObject({ ok: false, kind: 'connection-reset', code: 'ECONNRESET' });
  });

  it('reports an already closed socket without waiting for the timeout', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem });
    const plain = await plainAfterGreeting(server.port);
    plain.destroy();
    const started = performance.now();
    const outcome = await upgradeToTls(plain, { servername: 'mx.example.com', trust, timeoutMs: 5000, legacy: false });
    expect(outcome).toMatchObject({ ok: false, kind: 'connection-closed' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('leaves no timer behind on success', async () => {
    const server = await startServer({ key: good.keyPem, cert: good.chainPem });
    const plain = await plainAfterGreeting(server.port);
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const outcome = ok(await upgradeToTls(plain, { servername: 'mx.example.com', trust, timeoutMs: 60_000, legacy: false }));
    cleanups.push(() => outcome.socket.destroy());
    expect(timers()).toBe(before);
    expect(outcome.socket.destroyed).toBe(false);
  });
});

describe('upgradeToTls: key exchange', () => {
  // The server allows one group, so the test does not depend on the client's default order.
  const only = (group: string): tls.SecureContextOptions => ({ key: good.keyPem, cert: good.chainPem, ecdhCurve: group });

  it.each([
    ['X25519', { type: 'ECDH', name: 'X25519', size: 253, group: 'X25519', postQuantum: false }],
    ['secp384r1', { type: 'ECDH', name: 'secp384r1', size: 384, group: 'secp384r1', postQuantum: false }],
    // Node reports a TLS 1.3 finite-field exchange as { type: 'DH', size } only.
    ['ffdhe2048', { type: 'DH', size: 2048, group: 'ffdhe2048', postQuantum: false }],
  ])('names a classic %s exchange and its size', async (group, expected) => {
    // The client offers ffdhe only when asked to (OpenSSL's default list has no FFDHE group).
    const { details } = ok(await handshake(await startServer(only(group))));
    expect(details.keyExchange).toEqual(expected);
  });

  const mlKem = namesMlKem;
  const unnamed = runtimeHasMlKem() && !mlKem;
  const why = mlKem ? '' : ` (skipped: Node ${process.versions.node} with OpenSSL ${process.versions.openssl} cannot negotiate or cannot name ML-KEM)`;

  it.skipIf(!unnamed)('says "unnamed" when this Node negotiates ML-KEM but does not name it (Node 22), and claims nothing about it', async () => {
    const { details } = ok(await handshake(await startServer(only('X25519MLKEM768'))));
    expect(details.keyExchange).toEqual({ type: 'unnamed' });
  });

  // Like Postfix, mxtls offers OpenSSL's default groups, and OpenSSL 3.5's default list has one
  // post-quantum group: X25519MLKEM768. A server that allows only SecP256r1MLKEM768 or MLKEM768
  // fails the handshake with us as with a default Postfix (their mapping is tested in
  // key-exchange.test.ts with Node's reports).
  it.skipIf(!mlKem)(`names the post-quantum hybrid X25519MLKEM768${why}`, async () => {
    const { details } = ok(await handshake(await startServer(only('X25519MLKEM768'))));
    expect(details.keyExchange).toEqual({ type: 'TLSGroup', name: 'X25519MLKEM768', group: 'X25519MLKEM768', postQuantum: true });
  });

  it.skipIf(!mlKem)(`takes the post-quantum hybrid by default when the server offers it${why}`, async () => {
    const { details } = ok(await handshake(await startServer({ key: good.keyPem, cert: good.chainPem })));
    expect(details.keyExchange).toMatchObject({ group: 'X25519MLKEM768', postQuantum: true });
  });
});
