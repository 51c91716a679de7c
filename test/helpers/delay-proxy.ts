// A TCP proxy on loopback that makes every exchange cost a round trip: it opens the upstream
// connection half a round trip after accepting (the SYN/ACK a far server would cost) and holds
// every chunk half a round trip in each direction, in order. Counting a probe's round trips is
// then its duration divided by `rttMs`. What it cannot show is the kernel's part (Nagle, delayed
// ACKs): the client's TCP peer is the proxy on loopback, which acknowledges at once.
import net from 'node:net';

export interface DelayProxy {
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startDelayProxy(host: string, upstream: { host: string; port: number }, rttMs: number): Promise<DelayProxy> {
  const half = rttMs / 2;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.on('close', () => sockets.delete(client));
    client.pause();
    setTimeout(() => {
      const far = net.connect({ host: upstream.host, port: upstream.port, noDelay: true });
      sockets.add(far);
      far.on('error', () => client.destroy());
      far.on('close', () => sockets.delete(far));
      pipeDelayed(client, far, half);
      pipeDelayed(far, client, half);
      client.resume();
    }, half);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Copies `from` to `to`, each chunk `delayMs` late, keeping their order; an end follows the last chunk. */
function pipeDelayed(from: net.Socket, to: net.Socket, delayMs: number): void {
  from.on('data', (chunk: Buffer) => setTimeout(() => to.writable && to.write(chunk), delayMs));
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('close', () => setTimeout(() => to.end(), delayMs + 1));
}
