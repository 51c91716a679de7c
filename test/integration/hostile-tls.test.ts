// Hostile servers, STARTTLS and TLS part (issue 6, item 1): plaintext injected after the 220 to
// STARTTLS (RFC 3207 §6: purged, never parsed), TLS alerts, resets and closes in mid-handshake,
// a handshake that never finishes, an endless reply over TLS.
import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLabPki, type LabPki } from '../../fixtures/certs.js';
import { serveSecure, starttlsThen, type HostileScript, type HostileServer } from '../../fixtures/hostile-servers.js';
import { MX, expectSafeOutputs, hostileServerPool, scanHostile, transcriptLines, withPeakMemory } from '../helpers/hostile.js';

const HOST = '127.0.0.82';
const MB = 1024 * 1024;
const serve = hostileServerPool(HOST);
let pki: LabPki;
let context: tls.SecureContext;

beforeAll(async () => {
  pki = await createLabPki();
  const leaf = await pki.leaf({ dnsNames: [MX] });
  context = tls.createSecureContext({ cert: leaf.chainPem, key: leaf.keyPem });
});

// With the EHLO after TLS (off by default): the longest session, so every reply over TLS is met.
const scan = (server: HostileServer, timeouts = {}) => scanHostile(HOST, server.port, timeouts, [pki.root.certPem], { ehloAfterTls: true });

/** The first TLS record from the client (its ClientHello), or undefined when it went away. */
const clientHello = (conn: Parameters<HostileScript>[0]) => conn.readBytes();

describe('plaintext after the 220 to STARTTLS is purged, never parsed', () => {
  it('a second 220 and a fake EHLO reply in the same packet as the 220: dropped, TLS then works', async () => {
    const injected = '220 INJECTED second greeting\r\n250-INJECTED\r\n250 AUTH PLAIN\r\n';
    const server = await serve(starttlsThen((conn) => serveSecure(conn.startTls(context)), `220 2.0.0 Go ahead\r\n${injected}`));
    const s = await scan(server);
    expect(s.probe.failure).toBeUndefined();
    expect(s.probe).toMatchObject({ stage: 'done', starttlsReply: { code: 220, lines: ['2.0.0 Go ahead'] }, ehloTlsKeywords: ['PIPELINING'] });
    expect(transcriptLines(s.probe.transcript, 'S').join('\n')).not.toContain('INJECTED');
    expect(transcriptLines(s.probe.transcript, '*')).toContainEqual(expect.stringContaining(`discarded ${injected.length} bytes`));
    expect(s.rec).toMatchObject({ kind: 'line', level: 'verify' });
    expectSafeOutputs(s, ['INJECTED']);
  });

  it('binary garbage without a line end after the 220: dropped, TLS then works', async () => {
    const garbage = Buffer.from([0x00, 0xff, 0x1b, 0x5b, 0x32, 0x4a, 0x0d, 0x47, 0x41, 0x52, 0x42]);
    const server = await serve(
      starttlsThen(async (conn) => {
        await conn.write(garbage);
        await serveSecure(conn.startTls(context));
      }),
    );
    const s = await scan(server);
    // Written separately, the garbage may arrive before or after the client's read of the 220;
    // either it is purged with the buffered plaintext, or the TLS layer rejects it as not TLS.
    if (s.probe.failure) {
      expect(s.probe.failure).toMatchObject({ stage: 'tls', kind: 'tls-handshake-failed' });
    } else {
      expect(s.probe.stage).toBe('done');
    }
    expect(transcriptLines(s.probe.transcript, 'S')).toEqual(expect.arrayContaining([expect.stringMatching(/^220 /)]));
    expect(transcriptLines(s.probe.transcript, 'S').every((l) => !l.includes('GARB'))).toBe(true);
    expectSafeOutputs(s);
  });

  it('a second 220 that arrives after the client started its handshake: TLS fails, the 220 is never a reply', async () => {
    const server = await serve(
      starttlsThen(async (conn) => {
        if ((await clientHello(conn)) === undefined) return;
        await conn.write('220 INJECTED late greeting\r\n');
        await conn.readLine();
      }),
    );
    const s = await scan(server);
    expect(s.probe.failure).toMatchObject({ stage: 'tls', kind: 'tls-handshake-failed' });
    expect(s.probe.stage).toBe('starttls');
    expect(s.probe.tls).toBeUndefined();
    expect(transcriptLines(s.probe.transcript, 'S').join('\n')).not.toContain('INJECTED');
    expect(s.elapsedMs).toBeLessThan(2000);
    expect(s.rec).toMatchObject({ kind: 'line', level: 'may' });
    expectSafeOutputs(s, ['INJECTED']);
  });
});

describe('hostile TLS handshakes', () => {
  it('a fatal TLS alert instead of a ServerHello: tls-handshake-failed at tls (the legacy retry fails too)', async () => {
    const alert = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]); // fatal handshake_failure
    const server = await serve(
      starttlsThen(async (conn) => {
        if ((await clientHello(conn)) === undefined) return;
        await conn.write(alert);
        await conn.sleep(200);
      }),
    );
    const s = await scan(server);
    expect(s.probe.failure).toMatchObject({ stage: 'tls', kind: 'tls-handshake-failed' });
    expect(s.probe.failure?.code).toMatch(/^ERR_SSL_/);
    expect(s.probe.tls).toBeUndefined();
    expect(server.connections).toBeLessThanOrEqual(2); // the first attempt and at most one legacy retry
    expect(s.elapsedMs).toBeLessThan(2 * 2000);
    expect(s.rec).toMatchObject({ kind: 'line', level: 'may' });
    expectSafeOutputs(s);
  });

  it('a reset in mid-handshake: connection-reset at tls', async () => {
    const server = await serve(
      starttlsThen(async (conn) => {
        if ((await clientHello(conn)) === undefined) return;
        conn.socket.resetAndDestroy();
      }),
    );
    const s = await scan(server);
    expect(s.probe.failure).toMatchObject({ stage: 'tls', kind: 'connection-reset' });
    expect(s.elapsedMs).toBeLessThan(2000);
    expectSafeOutputs(s);
  });

  it('a close in mid-handshake: connection-closed at tls', async () => {
    const server = await serve(
      starttlsThen(async (conn) => {
        if ((await clientHello(conn)) === undefined) return;
        conn.socket.end();
      }),
    );
    const s = await scan(server);
    expect(s.probe.failure).toMatchObject({ stage: 'tls', kind: 'connection-closed' });
    expect(s.elapsedMs).toBeLessThan(2000);
    expectSafeOutputs(s);
  });

  it('a server that never finishes the handshake: tls-timeout after the TLS timeout', async () => {
    const server = await serve(
      starttlsThen(async (conn) => {
        if ((await clientHello(conn)) === undefined) return;
        // Half a record header, then nothing.
        await conn.write(Buffer.from([0x16, 0x03]));
        await conn.readBytes();
      }),
    );
    const s = await scan(server, { tls: 1 });
    expect(s.probe.failure).toMatchObject({ stage: 'tls', kind: 'tls-timeout' });
    expect(s.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(s.elapsedMs).toBeLessThan(1000 + 1000);
    expectSafeOutputs(s);
  });

  it('a handshake dripped one byte every 100 ms still ends at the TLS timeout', async () => {
    const server = await serve(
      starttlsThen(async (conn) => {
        if ((await clientHello(conn)) === undefined) return;
        // A valid-looking handshake record header, then its body a byte at a time.
        for (const byte of [0x16, 0x03, 0x03, 0x40, 0x00, ...new Array<number>(100).fill(0x02)]) {
          if (!(await conn.write(Buffer.from([byte]))) || !(await conn.sleep(100))) return;
        }
      }),
    );
    const s = await scan(server, { tls: 1 });
    expect(s.probe.failure).toMatchObject({ stage: 'tls', kind: 'tls-timeout' });
    expect(s.elapsedMs).toBeLessThan(1000 + 1000);
    expectSafeOutputs(s);
  });

  it('endless 250- lines over TLS: reply-too-long at ehlo-tls, TLS details kept', async () => {
    const chunk = Buffer.from('250-X-HOSTILE-OVER-TLS-PADDING-PADDING-PADDING-PADDING\r\n'.repeat(1024), 'latin1');
    const server = await serve(
      starttlsThen(async (plain) => {
        const conn = plain.startTls(context);
        if ((await conn.readLine()) === undefined) return;
        await conn.write('250-mx.hostile.test\r\n');
        for (let sent = 0; sent < 50 * MB; sent += chunk.length) if (!(await conn.write(chunk))) return;
      }),
    );
    const { value: s, growth } = await withPeakMemory(() => scan(server));
    await server.idle();
    expect(s.probe.failure).toMatchObject({ stage: 'ehlo-tls', kind: 'reply-too-long' });
    expect(s.probe.stage).toBe('tls');
    expect(s.probe.tls?.trust.trusted).toBe(true);
    expect(s.elapsedMs).toBeLessThan(2000);
    expect(server.bytesSent).toBeLessThan(12.5 * MB);
    expect(growth).toBeLessThan(16 * MB);
    expectSafeOutputs(s);
  });
});
