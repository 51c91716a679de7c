// Hostile servers, plaintext SMTP part (issue 6, item 1): endless and oversized replies, drips,
// byte-split replies, odd bytes in banners and EHLO lines, abrupt closes, EHLO-less servers.
// Each case: the probe ends within its timeouts, memory stays bounded, the result names the
// stage and the failure, and nothing the server sent can reach a policy key or break a line.
import { describe, expect, it } from 'vitest';
import type { HostileScript } from '../../fixtures/hostile-servers.js';
import { expectSafeOutputs, hostileServerPool, scanHostile, transcriptLines, withPeakMemory } from '../helpers/hostile.js';

const HOST = '127.0.0.81';
const MB = 1024 * 1024;
const serve = hostileServerPool(HOST);

/** Greets, then answers each command with what `reply` returns for its verb. */
function dialogue(greeting: string, reply: (verb: string) => string): HostileScript {
  return async (conn) => {
    if (!(await conn.write(greeting))) return;
    for (;;) {
      const line = await conn.readLine();
      if (line === undefined) return;
      const verb = line.split(' ', 1)[0]!.toUpperCase();
      if (!(await conn.write(reply(verb)))) return;
      if (verb === 'QUIT') return;
    }
  };
}


describe('hostile SMTP servers', () => {
  it('endless 250- continuation lines: the reply is cut off after its line cap, not read to the end', async () => {
    const total = 50 * MB;
    const chunk = Buffer.from('250-X-HOSTILE-CAPABILITY-PADDING-PADDING-PADDING-PADDING-PADDING\r\n'.repeat(1024), 'latin1');
    const server = await serve(async (conn) => {
      await conn.write('220 mx.hostile.test ESMTP\r\n');
      if ((await conn.readLine()) === undefined) return;
      await conn.write('250-mx.hostile.test\r\n');
      for (let sent = 0; sent < total; sent += chunk.length) if (!(await conn.write(chunk))) return;
    });
    const { value: s, growth } = await withPeakMemory(() => scanHostile(HOST, server.port, { command: 2 }));
    await server.idle();
    expect(s.probe.failure).toMatchObject({ stage: 'ehlo', kind: 'reply-too-long' });
    expect(s.probe.stage).toBe('greeting');
    expect(s.elapsedMs).toBeLessThan(2000);
    // The server could only push what the socket buffers took before the probe hung up.
    expect(server.bytesSent).toBeLessThan(total / 4);
    expect(growth).toBeLessThan(16 * MB);
    expect(s.rec.kind).toBe('unknown');
    expectSafeOutputs(s);
  });

  it('endless 220- greeting lines end at the greeting', async () => {
    const chunk = Buffer.from('220-mx.hostile.test still greeting you, please wait\r\n'.repeat(1024), 'latin1');
    const server = await serve(async (conn) => {
      for (let sent = 0; sent < 50 * MB; sent += chunk.length) if (!(await conn.write(chunk))) return;
    });
    const s = await scanHostile(HOST, server.port);
    await server.idle();
    expect(s.probe.failure).toMatchObject({ stage: 'greeting', kind: 'reply-too-long' });
    expect(s.elapsedMs).toBeLessThan(2000);
    expect(server.bytesSent).toBeLessThan(12.5 * MB);
    expectSafeOutputs(s);
  });

  it('a single 1 MB line is refused at the line cap', async () => {
    const line = Buffer.concat([Buffer.from('220 '), Buffer.alloc(MB, 0x41), Buffer.from('\r\n')]);
    const server = await serve(async (conn) => {
      await conn.write(line);
      await conn.readLine(); // holds the connection until the client leaves
    });
    const { value: s, growth } = await withPeakMemory(() => scanHostile(HOST, server.port));
    expect(s.probe.failure).toMatchObject({ stage: 'greeting', kind: 'reply-too-long' });
    expect(s.elapsedMs).toBeLessThan(2000);
    expect(growth).toBeLessThan(16 * MB);
    expect(s.probe.greeting).toBeUndefined();
    expectSafeOutputs(s);
  });

  it('a 1 MB EHLO line without any line end is refused without waiting for the timeout', async () => {
    const server = await serve(async (conn) => {
      await conn.write('220 mx.hostile.test ESMTP\r\n');
      if ((await conn.readLine()) === undefined) return;
      await conn.write(Buffer.concat([Buffer.from('250-'), Buffer.alloc(MB, 0x42)]));
      await conn.readLine();
    });
    const s = await scanHostile(HOST, server.port, { command: 2 });
    expect(s.probe.failure).toMatchObject({ stage: 'ehlo', kind: 'reply-too-long' });
    expect(s.elapsedMs).toBeLessThan(1500);
    expectSafeOutputs(s);
  });

  it('a greeting dripped one byte per second hits the greeting timeout (the drip does not re-arm it)', async () => {
    const greeting = '220 mx.hostile.test ESMTP slowly\r\n';
    const server = await serve(async (conn) => {
      for (const ch of greeting) {
        if (!(await conn.write(ch))) return;
        if (!(await conn.sleep(1000))) return;
      }
      await conn.readLine();
    });
    const s = await scanHostile(HOST, server.port, { greeting: 1.5, command: 1.5 });
    expect(s.probe.failure).toMatchObject({ stage: 'greeting', kind: 'greeting-timeout' });
    expect(s.elapsedMs).toBeGreaterThanOrEqual(1400);
    expect(s.elapsedMs).toBeLessThan(1500 + 1000);
    expect(s.rec.kind).toBe('unknown');
    expectSafeOutputs(s);
  });

  it('an EHLO reply dripped one byte every 200 ms hits the command timeout', async () => {
    const server = await serve(async (conn) => {
      await conn.write('220 mx.hostile.test ESMTP\r\n');
      if ((await conn.readLine()) === undefined) return;
      for (const ch of '250-mx.hostile.test\r\n'.repeat(100)) if (!(await conn.write(ch)) || !(await conn.sleep(200))) return;
    });
    const s = await scanHostile(HOST, server.port, { command: 1 });
    expect(s.probe.failure).toMatchObject({ stage: 'ehlo', kind: 'command-timeout' });
    expect(s.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(s.elapsedMs).toBeLessThan(1000 + 1000);
    expectSafeOutputs(s);
  });

  it('replies split at every byte are reassembled: the session succeeds', async () => {
    const byteByByte = async (conn: Parameters<HostileScript>[0], text: string): Promise<boolean> => {
      for (const ch of text) if (!(await conn.write(ch)) || !(await conn.sleep(2))) return false;
      return true;
    };
    const server = await serve(async (conn) => {
      if (!(await byteByByte(conn, '220-mx.hostile.test ESMTP\r\n220 split at every byte\r\n'))) return;
      for (;;) {
        const line = await conn.readLine();
        if (line === undefined) return;
        const verb = line.split(' ', 1)[0]!.toUpperCase();
        if (verb === 'EHLO') await byteByByte(conn, '250-mx.hostile.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 8BITMIME\r\n');
        else if (verb === 'QUIT') return void (await byteByByte(conn, '221 2.0.0 Bye\r\n'));
        else await conn.write('502 5.5.2 unknown\r\n');
      }
    });
    const s = await scanHostile(HOST, server.port);
    expect(s.probe.failure).toBeUndefined();
    expect(s.probe).toMatchObject({
      stage: 'done',
      greeting: { code: 220, lines: ['mx.hostile.test ESMTP', 'split at every byte'] },
      ehloKeywords: ['PIPELINING', 'SIZE', '8BITMIME'],
      starttlsOffered: false,
    });
    // QUIT is sent and the connection closed without waiting for the (byte by byte) 221.
    expect(transcriptLines(s.probe.transcript, 'C').at(-1)).toBe('QUIT');
    expect(s.rec).toMatchObject({ kind: 'line', level: 'may' });
    expectSafeOutputs(s);
  });

  it('control bytes and non-ASCII in the banner and EHLO lines are neither keywords nor line breaks', async () => {
    const greeting = Buffer.concat([
      Buffer.from('220-mx.hostile.test \x1b[2J\x1b[31mRED\x00NUL\x07\x08\x7f\r\n', 'latin1'),
      // A bare CR, C1 controls as UTF-8, U+2028, an RLO and invalid UTF-8.
      Buffer.from('220-cr\rhostile.test verify\r\n', 'latin1'),
      Buffer.from('220-\u0085\u009b\u2028\u202e\u200b bidi\r\n', 'utf8'),
      Buffer.from([0x32, 0x32, 0x30, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0d, 0x0a]),
    ]);
    const ehlo = Buffer.concat([
      Buffer.from('250-mx.hostile.test greets \x1b]0;title\x07\r\n', 'latin1'),
      Buffer.from('250-STARTTLS\x00\r\n250-PIPE\x1bLINING\r\n250-\u00dcBER\r\n250-SIZE\t1000\r\n250-X\x0bY\r\n', 'latin1'),
      Buffer.from('250-\u2028STARTTLS\r\n', 'utf8'),
      Buffer.from('250 8BITMIME\r\n', 'latin1'),
    ]);
    const server = await serve(async (conn) => {
      await conn.write(greeting);
      for (;;) {
        const line = await conn.readLine();
        if (line === undefined) return;
        const verb = line.split(' ', 1)[0]!.toUpperCase();
        if (verb === 'EHLO') await conn.write(ehlo);
        else if (verb === 'QUIT') return void (await conn.write('221 \x1b[0m\x00bye\r\n'));
      }
    });
    const s = await scanHostile(HOST, server.port);
    expect(s.probe.failure).toBeUndefined();
    expect(s.probe.stage).toBe('done');
    // Only clean tokens count: STARTTLS\0 and U+2028 STARTTLS are not STARTTLS.
    expect(s.probe.ehloKeywords).toEqual(['8BITMIME']);
    expect(s.probe.starttlsOffered).toBe(false);
    const text = [...(s.probe.greeting?.lines ?? []), ...s.probe.transcript.map((l) => l.text)].join('');
    expect(text).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
    expect(s.rec).toMatchObject({ kind: 'line', level: 'may' });
    expectSafeOutputs(s, ['hostile.test verify', 'bidi']);
  });

  it('a server that accepts and closes at once: connection-closed at the greeting', async () => {
    const server = await serve(async (conn) => {
      conn.socket.end();
    });
    const s = await scanHostile(HOST, server.port);
    expect(s.probe).toMatchObject({ stage: 'connect', failure: { stage: 'greeting', kind: 'connection-closed' } });
    expect(s.elapsedMs).toBeLessThan(1000);
    expect(s.rec.kind).toBe('unknown');
    expectSafeOutputs(s);
  });

  it('a server that accepts and resets at once: connection-reset (at connect or greeting, as the RST races the connect event)', async () => {
    const server = await serve(async (conn) => {
      conn.socket.resetAndDestroy();
    });
    const s = await scanHostile(HOST, server.port);
    expect(s.probe.failure).toMatchObject({ kind: 'connection-reset' });
    expect(['connect', 'greeting']).toContain(s.probe.failure?.stage);
    expect(s.elapsedMs).toBeLessThan(1000);
    expectSafeOutputs(s);
  });

  it('a server that closes right after the greeting: connection-closed at EHLO', async () => {
    const server = await serve(async (conn) => {
      await conn.write('220 mx.hostile.test ESMTP\r\n');
      conn.socket.end();
    });
    const s = await scanHostile(HOST, server.port);
    expect(s.probe).toMatchObject({ stage: 'greeting', failure: { stage: 'ehlo', kind: 'connection-closed' } });
    expect(s.elapsedMs).toBeLessThan(1000);
    expectSafeOutputs(s);
  });

  it('EHLO 5xx and HELO 250: done via HELO, no STARTTLS, a may line', async () => {
    const server = await serve(
      dialogue('220 mx.hostile.test ESMTP\r\n', (verb) =>
        verb === 'EHLO' ? '500 5.5.1 what is EHLO\r\n' : verb === 'HELO' ? '250 mx.hostile.test\r\n' : verb === 'QUIT' ? '221 Bye\r\n' : '502 no\r\n',
      ),
    );
    const s = await scanHostile(HOST, server.port);
    expect(s.probe.failure).toBeUndefined();
    expect(s.probe).toMatchObject({ stage: 'done', heloFallback: true, starttlsOffered: false, ehloKeywords: [] });
    expect(transcriptLines(s.probe.transcript, 'C')).toEqual(['EHLO probe.mxtls.test', 'HELO probe.mxtls.test', 'QUIT']);
    expect(s.rec).toMatchObject({ kind: 'line', level: 'may' });
    expectSafeOutputs(s);
  });

  it('EHLO 5xx and HELO 5xx: ehlo-rejected, and a polite QUIT', async () => {
    const server = await serve(
      dialogue('220 mx.hostile.test ESMTP\r\n', (verb) => (verb === 'QUIT' ? '221 Bye\r\n' : '554 5.7.1 go away\r\n')),
    );
    const s = await scanHostile(HOST, server.port);
    expect(s.probe.failure).toMatchObject({ stage: 'ehlo', kind: 'ehlo-rejected', message: '554 5.7.1 go away' });
    expect(transcriptLines(s.probe.transcript, 'C')).toEqual(['EHLO probe.mxtls.test', 'HELO probe.mxtls.test', 'QUIT']);
    expectSafeOutputs(s);
  });

  it('a malformed greeting line is a protocol error, not a reply', async () => {
    const server = await serve(dialogue('HTTP/1.1 400 Bad Request\r\n\r\n', () => ''));
    const s = await scanHostile(HOST, server.port);
    expect(s.probe.failure).toMatchObject({ stage: 'greeting', kind: 'protocol-error' });
    expect(s.probe.greeting).toBeUndefined();
    expectSafeOutputs(s);
  });
});
