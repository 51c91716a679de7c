// One DNS question on the wire: UDP first, TCP when the answer is truncated. dns2 supplies the
// reply decoder only (query-message.ts writes the query); its client has no TCP timeout,
// mishandles IPv6 resolver addresses and never sets the DO bit, so the sockets are ours.
import net from 'node:net';
import { Packet } from 'dns2';
import type { ResolverAddress } from '../types.js';
import { parseMessage } from './bit-stream.js';
import { buildQuery } from './query-message.js';
import { normaliseName } from '../name/dns-name.js';
import { formatResolverAddress } from './resolver-address.js';
import type { UdpPool } from './udp-pool.js';

export interface QueryOptions {
  resolvers: ResolverAddress[];
  /** The UDP sockets of the resolver asking (its run's): see udp-pool.ts. */
  pool: UdpPool;
  /** Per exchange: each UDP try and each TCP fallback gets this long. */
  timeoutMs: number;
  /** Rounds over the whole resolver list (default 2). */
  attempts?: number;
  /** Set CD (checking disabled, RFC 4035 §3.2.2): used only to tell a DNSSEC-bogus SERVFAIL from others. */
  checkingDisabled?: boolean;
}

export interface QueryResult {
  /** Transport outcome only: a SERVFAIL or NXDOMAIN reply is still 'ok' here (see rcode). */
  status: 'ok' | 'timeout' | 'error';
  /**
   * The decoded reply. Records of types dns2 does not know (TLSA = 52, RRSIG...) keep their
   * RDATA as a Buffer in `data`, whatever dns2's typings say.
   */
  packet?: Packet;
  rcode?: number;
  /** AD bit of the reply; false when there is no reply. */
  ad: boolean;
  /** The resolver that answered, or the last one tried, as "addr:port" / "[v6]:port". */
  resolver: string;
  detail?: string;
}

/** dns2's Header typing lacks the DNSSEC bits it does decode. */
type HeaderWithDnssecBits = Packet['header'] & { ad?: number; cd?: number };

interface Question {
  id: number;
  name: string;
  type: number;
}

/** The reply to `q`, or undefined for anything else: malformed, someone else's, or a record dns2 dropped. */
function decodeReply(message: Buffer, q: Question): Packet | undefined {
  let packet: Packet;
  try {
    packet = parseMessage(message);
  } catch {
    return undefined;
  }
  const { header, questions } = packet;
  if (header.id !== q.id || header.qr !== 1) return undefined;
  // dns2 skips records it fails to decode; a short answer section would silently lose data.
  if (packet.answers.length !== header.ancount) return undefined;
  const echoed = questions[0];
  // Some servers send REFUSED/FORMERR without echoing the question.
  if (echoed === undefined) return header.rcode !== 0 ? packet : undefined;
  const same =
    questions.length === 1 &&
    normaliseName(echoed.name) === normaliseName(q.name) &&
    echoed.type === q.type &&
    echoed.class === Packet.CLASS.IN;
  return same ? packet : undefined;
}

function answered(packet: Packet, resolver: string): QueryResult {
  const header = packet.header as HeaderWithDnssecBits;
  return { status: 'ok', packet, rcode: header.rcode, ad: header.ad === 1, resolver };
}

function failed(status: 'timeout' | 'error', resolver: string, detail: string): QueryResult {
  return { status, ad: false, resolver, detail };
}

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}

/** Resolves a UDP reply, or 'truncated' when the server set TC and TCP must be tried. Throws only
 *  when the query cannot be encoded. */
function udpExchange(
  pool: UdpPool,
  name: string,
  type: number,
  cd: boolean,
  resolver: ResolverAddress,
  timeoutMs: number,
): Promise<{ result: QueryResult | 'truncated'; q: Question; wire: Buffer }> {
  const label = formatResolverAddress(resolver);
  return new Promise((resolve) => {
    let ignored = 0;
    let done = false;
    let wire: Buffer = Buffer.alloc(0);
    const q: Question = { id: 0, name, type };
    const finish = (result: QueryResult | 'truncated'): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ticket.done();
      resolve({ result, q, wire });
    };
    // Never throw: a spoofed or stale datagram is dropped and the wait goes on.
    const ticket = pool.send(
      resolver,
      (id) => {
        wire = buildQuery(name, type, id, cd);
        return wire;
      },
      {
        reply: (message) => {
          const packet = decodeReply(message, q);
          if (packet === undefined) ignored++;
          else finish(packet.header.tc === 1 ? 'truncated' : answered(packet, label));
        },
        stray: () => ignored++,
        failed: (err) => finish(failed('error', label, `UDP ${label}: ${errorText(err)}`)),
      },
    );
    q.id = ticket.id;
    const timer = setTimeout(() => {
      const extra = ignored > 0 ? ` (ignored ${ignored} unrelated or malformed datagrams)` : '';
      finish(failed('timeout', label, `no reply over UDP from ${label} within ${timeoutMs} ms${extra}`));
    }, timeoutMs);
  });
}

/** RFC 1035 §4.2.2: each message is preceded by its length in two bytes. */
function tcpExchange(query: Buffer, q: Question, resolver: ResolverAddress, timeoutMs: number): Promise<QueryResult> {
  const label = formatResolverAddress(resolver);
  return new Promise((resolve) => {
    const socket = net.connect({ host: resolver.address, port: resolver.port });
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = (result: QueryResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish(failed('timeout', label, `no reply over TCP from ${label} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const end = 2 + buffered.readUInt16BE(0);
        if (buffered.length < end) return;
        const packet = decodeReply(buffered.subarray(2, end), q);
        buffered = buffered.subarray(end);
        if (packet !== undefined) return finish(answered(packet, label));
      }
    });
    socket.on('error', (err) => finish(failed('error', label, `TCP ${label}: ${errorText(err)}`)));
    socket.on('close', () => finish(failed('error', label, `TCP ${label}: closed before a complete reply`)));
  });
}

async function exchange(pool: UdpPool, name: string, type: number, resolver: ResolverAddress, timeoutMs: number, cd: boolean): Promise<QueryResult> {
  if (net.isIP(resolver.address) === 0) {
    // Checked here because dgram and net would otherwise look the "address" up in DNS.
    return failed('error', resolver.address, `resolver "${resolver.address}" is not an IP address`);
  }
  const endTurn = await pool.turn(resolver);
  let udp: Awaited<ReturnType<typeof udpExchange>>;
  try {
    udp = await udpExchange(pool, name, type, cd, resolver, timeoutMs);
  } finally {
    endTurn();
  }
  return udp.result === 'truncated' ? tcpExchange(udp.wire, udp.q, resolver, timeoutMs) : udp.result;
}

/**
 * Ask `name`/`type` (class IN), trying each resolver in turn for `attempts` rounds until one
 * replies. Any reply ends the search, whatever its RCODE. Network trouble never throws; the
 * last failure is returned.
 */
export async function query(name: string, type: number, opts: QueryOptions): Promise<QueryResult> {
  const attempts = opts.attempts ?? 2;
  let last = failed('error', '', 'no resolver configured');
  try {
    for (let round = 0; round < attempts; round++) {
      for (const resolver of opts.resolvers) {
        last = await exchange(opts.pool, name, type, resolver, opts.timeoutMs, opts.checkingDisabled ?? false);
        if (last.status === 'ok') return last;
      }
    }
  } catch (err) {
    // Only encoding can throw (a label over 63 octets...): no resolver would do better.
    return failed('error', last.resolver, `cannot encode query for "${name}": ${(err as Error).message}`);
  }
  return last;
}
