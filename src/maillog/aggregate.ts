// Log events → per-recipient-domain counts, one event at a time, so a log of any size streams
// through: memory grows with the number of domains and smtp processes, not with lines.
//
// Which deliveries went without TLS: Postfix's smtp client logs a TLS summary line ("... TLS
// connection established|reused to host[addr]:port ...", smtp_tls_loglevel >= 1) before the
// delivery lines of the message it carries, in the same process, and nothing at all for a
// plaintext session. A TLS session is only ever reused through tlsproxy, and a reuse logs its
// own "reused" line (smtp_reuse.c), so a TLS line covers the deliveries of one message (one
// queue id) to that host[addr]:port by that process, and nothing after it. A plaintext session
// is reused without any line (conn_use=N), so "Host offered STARTTLS: [host]" describes that
// host for the process until its next connection line. (All three seen in Postfix 3.7.11 logs.)

import type { Readable } from 'node:stream';
import { parseLogLine } from './parse-line.js';
import { readLogLines } from './read-log.js';
import type { DeliveryEvent, MailLogEvent, TlsEvent, TlsTrust } from './parse-line.js';
import type { TlsFailure } from './tls-failure.js';

/** One recipient domain, as counted from the log. */
export interface DomainRow {
  domain: string;
  /** Recipient deliveries with status=sent (Postfix logs one line per recipient). */
  messages: number;
  /** Delivery attempts that ended deferred, and bounced; a retried message counts each time. */
  deferred: number;
  bounced: number;
  /**
   * Sent deliveries whose session logged no TLS line; null when the whole log has no TLS line,
   * since then TLS logging was off (smtp_tls_loglevel = 0) and plaintext cannot be told apart.
   */
  plaintext: number | null;
  /**
   * Of the plaintext deliveries, those to a host that had logged "Host offered STARTTLS" in the
   * same process (TLS on offer but not used: policy "none"). A lower bound: another process can
   * pick the cached connection up without the line.
   */
  starttlsOffered: number;
  /** Relay host names seen for this domain, sorted. */
  relays: string[];
  /** Sent deliveries by the TLS they went over, as Postfix named the peer certificate. */
  tls: Partial<Record<TlsTrust, number>>;
  /** "PROTOCOL CIPHER" of those TLS sessions, sorted. */
  ciphers: string[];
  /** Deferred and bounced attempts the TLS policy caused, by way (tls-failure.ts). */
  tlsFailures: Partial<Record<TlsFailure, number>>;
}

export interface MailLogSummary {
  /** Whether any TLS summary line was seen; without one, plaintext counts mean nothing. */
  tlsLogged: boolean;
  /** Most messages first, then by name. */
  domains: DomainRow[];
}

export interface MailLogAggregator {
  add(event: MailLogEvent): void;
  summary(): MailLogSummary;
}

/** The latest connection line of one smtp process; host alone for "Host offered STARTTLS". */
interface Session {
  host: string;
  ip?: string;
  port?: number;
  tls?: Pick<TlsEvent, 'trust' | 'protocol' | 'cipher'>;
  /** TLS only: the message this session was claimed by; a later one logs a line of its own. */
  queueId?: string;
}

interface Counts {
  messages: number;
  deferred: number;
  bounced: number;
  plaintext: number;
  starttlsOffered: number;
  relays: Set<string>;
  tls: Partial<Record<TlsTrust, number>>;
  ciphers: Set<string>;
  tlsFailures: Partial<Record<TlsFailure, number>>;
}

function bump<K extends string>(counts: Partial<Record<K, number>>, key: K): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function sessionCarries(session: Session | undefined, d: DeliveryEvent): session is Session {
  if (!session || session.host !== d.relayHost) return false;
  if (session.ip !== undefined && (session.ip !== d.relayIp || session.port !== d.relayPort)) return false;
  return !session.tls || session.queueId === undefined || session.queueId === d.queueId;
}

export function createMailLogAggregator(): MailLogAggregator {
  const sessions = new Map<string, Session>();
  const domains = new Map<string, Counts>();
  let tlsLogged = false;

  function delivery(d: DeliveryEvent): void {
    const session = sessions.get(d.process);
    let tls: Session['tls'];
    let offered = false;
    if (sessionCarries(session, d)) {
      if (session.tls) session.queueId = d.queueId;
      tls = session.tls;
      // A session without TLS is only ever known from its "Host offered STARTTLS" line.
      offered = !session.tls;
    } else {
      // The process has moved on to another connection; its old line describes nothing now.
      sessions.delete(d.process);
    }

    let c = domains.get(d.domain);
    if (!c) {
      c = { messages: 0, deferred: 0, bounced: 0, plaintext: 0, starttlsOffered: 0, relays: new Set(), tls: {}, ciphers: new Set(), tlsFailures: {} };
      domains.set(d.domain, c);
    }
    if (d.relayHost !== undefined) c.relays.add(d.relayHost);
    if (d.tlsFailure) bump(c.tlsFailures, d.tlsFailure);
    if (d.status === 'deferred') c.deferred++;
    else if (d.status === 'bounced') c.bounced++;
    else {
      c.messages++;
      if (!tls) c.plaintext++;
      else {
        bump(c.tls, tls.trust);
        c.ciphers.add(`${tls.protocol} ${tls.cipher}`);
      }
      if (offered) c.starttlsOffered++;
    }
  }

  return {
    add(event) {
      switch (event.kind) {
        case 'tls':
          tlsLogged = true;
          sessions.set(event.process, { host: event.host, ip: event.ip, port: event.port, tls: { trust: event.trust, protocol: event.protocol, cipher: event.cipher } });
          break;
        case 'starttls-offered':
          sessions.set(event.process, { host: event.host });
          break;
        case 'delivery':
          delivery(event);
          break;
      }
    },
    summary() {
      const rows: DomainRow[] = [...domains].map(([domain, c]) => ({
        domain,
        messages: c.messages,
        deferred: c.deferred,
        bounced: c.bounced,
        plaintext: tlsLogged ? c.plaintext : null,
        starttlsOffered: c.starttlsOffered,
        relays: [...c.relays].sort(),
        tls: c.tls,
        ciphers: [...c.ciphers].sort(),
        tlsFailures: c.tlsFailures,
      }));
      rows.sort((a, b) => b.messages - a.messages || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
      return { tlsLogged, domains: rows };
    },
  };
}

/** Reads mail logs (plain, gzipped, or "-" for `stdin`) to the end and sums them up per domain. */
export async function summarizeMailLogs(paths: readonly string[], stdin?: Readable): Promise<MailLogSummary> {
  const aggregator = createMailLogAggregator();
  for await (const line of readLogLines(paths, stdin)) {
    const event = parseLogLine(line);
    if (event) aggregator.add(event);
  }
  return aggregator.summary();
}
