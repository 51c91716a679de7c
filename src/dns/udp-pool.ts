// Long-lived UDP sockets to one resolver, shared by every query to it and told apart by
// message id. A socket per query measured as a fifth of the CPU time of scans that share MX
// hosts (create, connect, bind a port, close, for every question).
//
// Sockets are unref'd, so an idle pool never keeps the process alive; each query's own timer
// does while it waits. A socket retires after RETIRE_AFTER queries (closed once its last
// reply is in), so the source port still changes now and then, which is what makes an
// off-path spoofer guess it along with the id (RFC 5452 §4).
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import type { ResolverAddress } from '../types.js';
import { KeyedSemaphore } from '../util/keyed-semaphore.js';

/**
 * Queries in flight on one socket before another is opened: a burst of replies must fit its
 * receive buffer while the event loop is busy. 64 replies of up to 1,232 bytes fit Linux's
 * default (~200 KB, counting the kernel's overhead per datagram), so no larger buffer is asked for.
 */
const MAX_PENDING_PER_SOCKET = 64;
/**
 * Queries in flight to one resolver; more wait their turn. A batch starting hundreds of domains
 * at once overflowed the lab resolver's socket buffer (the system default, ~200 KB, which is
 * also what unbound uses unless told otherwise), and every datagram dropped there costs a whole
 * timeout. At a 50 ms round trip this still allows 2,000 questions a second.
 */
const MAX_IN_FLIGHT_PER_RESOLVER = 100;
const RETIRE_AFTER = 1000;
const CLOSED = 'the DNS resolver was closed';

/** What a waiting query is told: a datagram carrying its id, or the end of its socket. */
export interface UdpWaiter {
  /** A datagram carrying this query's id: the reply, or one to ignore (wrong question, malformed). */
  reply(message: Buffer): void;
  /** A datagram no query on the socket claims (wrong id, too short). */
  stray(): void;
  /** The socket failed (e.g. ECONNREFUSED from an ICMP port unreachable) or could not send. */
  failed(err: Error): void;
}

export interface UdpTicket {
  id: number;
  /** Stops listening for the reply; call exactly once, when the query is settled. */
  done(): void;
}

class PooledSocket {
  private readonly socket: dgram.Socket;
  private readonly waiters = new Map<number, UdpWaiter>();
  /** Sends waiting for connect() to finish. */
  private queued: Array<{ wire: Buffer; waiter: UdpWaiter }> | undefined = [];
  private used = 0;
  closed = false;

  constructor(
    resolver: ResolverAddress,
    private readonly onClose: (s: PooledSocket) => void,
  ) {
    this.socket = dgram.createSocket(net.isIP(resolver.address) === 6 ? 'udp6' : 'udp4');
    this.socket.unref();
    this.socket.on('message', (message: Buffer) => this.deliver(message));
    this.socket.on('error', (err) => this.fail(err));
    // A connected socket only hears from the resolver and learns of ICMP port-unreachable.
    this.socket.connect(resolver.port, resolver.address, (err?: Error) => {
      if (err) return this.fail(err);
      const queued = this.queued ?? [];
      this.queued = undefined;
      for (const q of queued) this.transmit(q.wire, q.waiter);
    });
  }

  get accepting(): boolean {
    return !this.closed && this.used < RETIRE_AFTER && this.waiters.size < MAX_PENDING_PER_SOCKET;
  }

  /** Registers `waiter` under a fresh id; `build` makes the query for that id (it may throw). */
  send(build: (id: number) => Buffer, waiter: UdpWaiter): UdpTicket {
    let id = randomInt(0x10000);
    while (this.waiters.has(id)) id = randomInt(0x10000);
    const wire = build(id);
    this.used++;
    this.waiters.set(id, waiter);
    if (this.queued) this.queued.push({ wire, waiter });
    else this.transmit(wire, waiter);
    return { id, done: () => this.release(id, waiter) };
  }

  private transmit(wire: Buffer, waiter: UdpWaiter): void {
    this.socket.send(wire, (err) => {
      if (err) waiter.failed(err);
    });
  }

  private release(id: number, waiter: UdpWaiter): void {
    if (this.waiters.get(id) === waiter) this.waiters.delete(id);
    if (this.waiters.size === 0 && this.used >= RETIRE_AFTER) this.close();
  }

  private deliver(message: Buffer): void {
    const waiter = message.length >= 2 ? this.waiters.get(message.readUInt16BE(0)) : undefined;
    if (waiter) {
      waiter.reply(message);
      return;
    }
    // Nobody can tell whose it was: every query waiting here saw one more datagram it ignored.
    for (const w of [...this.waiters.values()]) w.stray();
  }

  /** The pool is closing: queries still waiting fail, the socket closes. */
  shutdown(): void {
    this.fail(new Error(CLOSED));
  }

  /** The socket is unusable: every query on it fails with `err`, and new ones get another socket. */
  private fail(err: Error): void {
    const waiters = [...this.waiters.values()];
    this.waiters.clear();
    this.close();
    for (const w of waiters) w.failed(err);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queued = undefined;
    this.onClose(this);
    try {
      this.socket.close();
    } catch {
      // Already closed by a failed connect: nothing left to release.
    }
  }
}

const keyOf = (resolver: ResolverAddress): string => `${resolver.address}|${resolver.port}`;

/**
 * The UDP sockets and the per-resolver turns of one resolver object (so of one run): two runs
 * in one process share nothing by accident (ARCHITECTURE principle 9).
 */
export class UdpPool {
  private readonly pools = new Map<string, PooledSocket[]>();
  private readonly turns = new KeyedSemaphore(MAX_IN_FLIGHT_PER_RESOLVER);
  private closed = false;

  /**
   * Waits for a turn to query `resolver` over UDP; resolves with the function that ends it. Call
   * that once the exchange is over (reply, timeout or failure), before any TCP fallback.
   */
  async turn(resolver: ResolverAddress): Promise<() => void> {
    const key = keyOf(resolver);
    await this.turns.acquire(key);
    return () => this.turns.release(key);
  }

  /**
   * Sends a query (built by `build` for the id it is given) to `resolver` over a shared socket;
   * datagrams carrying that id go to `waiter` until the ticket is done.
   */
  send(resolver: ResolverAddress, build: (id: number) => Buffer, waiter: UdpWaiter): UdpTicket {
    if (this.closed) {
      // A query that outlived its run: it fails like a dead socket, and opens nothing.
      queueMicrotask(() => waiter.failed(new Error(CLOSED)));
      return { id: 0, done: () => undefined };
    }
    const key = keyOf(resolver);
    let sockets = this.pools.get(key);
    if (!sockets) {
      sockets = [];
      this.pools.set(key, sockets);
    }
    let socket = sockets.find((s) => s.accepting);
    if (!socket) {
      const list = sockets;
      socket = new PooledSocket(resolver, (closed) => {
        const i = list.indexOf(closed);
        if (i !== -1) list.splice(i, 1);
        if (list.length === 0 && this.pools.get(key) === list) this.pools.delete(key);
      });
      sockets.push(socket);
    }
    return socket.send(build, waiter);
  }

  /** Ends the run's DNS: every socket closes, and queries still waiting fail. */
  close(): void {
    this.closed = true;
    for (const socket of [...this.pools.values()].flat()) socket.shutdown();
  }
}
