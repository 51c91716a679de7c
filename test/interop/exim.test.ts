// The private Exim (Debian's build, GnuTLS) is a real STARTTLS receiver: it greets, offers
// STARTTLS, serves the chain it was given, and close() leaves nothing listening or running.
import { existsSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabPki, type LabLeaf, type LabPki } from '../../fixtures/certs.js';
import { eximBinary, type EximHandle, startExim } from '../../fixtures/mta/exim.js';

const HOST = '127.0.0.70';
const HOSTNAME = 'mx.exim.test';
// The interop project runs one file at a time, so the SMTP port is free for this one; the
// start-failure and close tests use their own ports to stay independent of it.
const PORT = 25;
const TAKEN_PORT = 2525;
const CLOSE_PORT = 2526;

function skipReason(): string | undefined {
  const reason =
    process.getuid?.() !== 0 ? 'needs root (port 25, a mount namespace)' : !existsSync(eximBinary()) ? `no ${eximBinary()} (scripts/ensure-exim.sh unpacks it)` : undefined;
  if (reason && process.env.CI) throw new Error(`Exim tests cannot run on CI: ${reason}`);
  // A skipped suite's name is not shown by the default reporter: say why out loud.
  if (reason) console.warn(`Exim tests skipped: ${reason}`);
  return reason;
}

/** Reads whole SMTP replies (every line of one, up to "NNN text") from a plaintext socket. */
function replyReader(socket: net.Socket | tls.TLSSocket): () => Promise<string[]> {
  let buffered = '';
  let wake = () => {};
  socket.setTimeout(5_000, () => socket.destroy(new Error('no reply within 5 s')));
  socket.on('data', (d: Buffer) => ((buffered += d.toString('latin1')), wake()));
  const ended = new Promise<never>((_, reject) => {
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed; unread: ${JSON.stringify(buffered)}`)));
  });
  ended.catch(() => {});
  return async () => {
    for (;;) {
      const lines = buffered.split('\r\n');
      const last = lines.findIndex((l) => /^\d{3}( |$)/.test(l));
      if (last >= 0) {
        buffered = lines.slice(last + 1).join('\r\n');
        return lines.slice(0, last + 1);
      }
      await Promise.race([new Promise<void>((r) => (wake = r)), ended]);
    }
  };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The code of a failed connection attempt (ECONNREFUSED when nothing listens), or 'connected'. */
async function connectOutcome(port: number): Promise<string> {
  try {
    (await connect(port)).destroy();
    return 'connected';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const skip = skipReason();

describe.skipIf(skip !== undefined)(`private Exim (GnuTLS)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let pki: LabPki;
  let leaf: LabLeaf;
  let exim: EximHandle | undefined;

  beforeAll(async () => {
    pki = await createLabPki();
    leaf = await pki.leaf({ dnsNames: [HOSTNAME] });
    exim = await startExim({ host: HOST, port: PORT, certPem: leaf.chainPem, keyPem: leaf.keyPem, hostname: HOSTNAME });
  });

  afterAll(async () => {
    await exim?.close();
  });

  it('greets with a 220 naming its hostname and offers STARTTLS after EHLO', async () => {
    const socket = await connect(PORT);
    try {
      const next = replyReader(socket);
      expect((await next())[0]).toMatch(new RegExp(`^220 ${HOSTNAME} ESMTP Exim 4\\.`));
      socket.write('EHLO client.test\r\n');
      const ehlo = await next();
      expect(ehlo[0]).toMatch(new RegExp(`^250-${HOSTNAME} Hello`));
      expect(ehlo.map((l) => l.slice(4))).toContain('STARTTLS');
    } finally {
      socket.destroy();
    }
  });

  it('completes a handshake that verifies against the lab root and serves our leaf', async () => {
    const socket = await connect(PORT);
    try {
      const plain = replyReader(socket);
      await plain();
      socket.write('EHLO client.test\r\n');
      await plain();
      socket.write('STARTTLS\r\n');
      expect((await plain())[0]).toMatch(/^220 /);
      socket.removeAllListeners('data');
      socket.setTimeout(0);

      // Default rejectUnauthorized: the handshake fails unless the chain (leaf + intermediate)
      // verifies against the root and the leaf names the host.
      const secure = tls.connect({ socket, servername: HOSTNAME, ca: pki.root.certPem });
      try {
        await new Promise<void>((resolve, reject) => {
          secure.once('secureConnect', resolve);
          secure.once('error', reject);
        });
        expect(secure.authorized).toBe(true);
        expect(secure.getPeerCertificate().raw.equals(leaf.der)).toBe(true);
        // The session works inside TLS: EHLO again, and STARTTLS is no longer offered.
        const inner = replyReader(secure);
        secure.write('EHLO client.test\r\n');
        const ehlo = await inner();
        expect(ehlo.at(-1)).toMatch(/^250 /);
        expect(ehlo.map((l) => l.slice(4))).not.toContain('STARTTLS');
      } finally {
        secure.destroy();
      }
    } finally {
      socket.destroy();
    }
  });

  it("fails with Exim's own reason when its address is taken", async () => {
    const squatter = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => squatter.listen(TAKEN_PORT, HOST, resolve));
    try {
      await expect(startExim({ host: HOST, port: TAKEN_PORT, certPem: leaf.chainPem, keyPem: leaf.keyPem, hostname: HOSTNAME })).rejects.toThrow(
        /did not start: it exited[\s\S]*Address already in use/,
      );
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('close() ends its connections, its process and its listening socket', async () => {
    const own = await startExim({ host: HOST, port: CLOSE_PORT, certPem: leaf.chainPem, keyPem: leaf.keyPem, hostname: HOSTNAME });
    const socket = await connect(CLOSE_PORT);
    const next = replyReader(socket);
    await next();
    // true when it is the reader's timeout, not the server, that closes the socket.
    const closedWithError = new Promise<boolean>((resolve) => socket.once('close', resolve));
    expect(alive(own.pid)).toBe(true);

    await own.close();
    // This connection is held by its own process, not the daemon's: that one was stopped too.
    expect(await closedWithError).toBe(false);
    expect(alive(own.pid)).toBe(false);
    expect(await connectOutcome(CLOSE_PORT)).toBe('ECONNREFUSED');
  });
});
