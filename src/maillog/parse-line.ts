// One Postfix log line → one typed event, or undefined for every line that does not matter here.
// Formats are Postfix's own (log_adhoc.c, tls_misc.c tls_log_summary, smtp_proto.c); only the
// SMTP client counts: its tag is syslog_name + "/smtp" (postfix/smtp, postfix-out/smtp,
// postfix/relay/smtp), so local, virtual, pipe and lmtp deliveries never match.

import { domainToASCII } from 'node:url';
import { isHostName } from '../name/host-name.js';
import { type TlsFailure, tlsFailureOf } from './tls-failure.js';

export type DeliveryStatus = 'sent' | 'deferred' | 'bounced';
/** Postfix's word for the peer certificate: none, not trusted, trusted, trusted and matching. */
export type TlsTrust = 'Anonymous' | 'Untrusted' | 'Trusted' | 'Verified';

/**
 * A recipient's delivery attempt that reached a server, or one the TLS policy stopped before
 * any connection (relay=none with a TLS reason, e.g. dane-only without TLSA records); other
 * relay=none lines are dropped.
 */
export interface DeliveryEvent {
  kind: 'delivery';
  /** Which smtp process logged it ("host tag[pid]"): TLS lines are matched within one process. */
  process: string;
  queueId: string;
  /** The recipient's domain as an A-label, lower case. */
  domain: string;
  /** Absent only for relay=none (a TLS policy failure before connecting). */
  relayHost?: string;
  relayIp?: string;
  /** Absent in logs of Postfix versions that wrote relay=host[addr] without the port. */
  relayPort?: number;
  status: DeliveryStatus;
  /** Deferred or bounced by the TLS policy: which way (tls-failure.ts). */
  tlsFailure?: TlsFailure;
}

/** "... TLS connection established|reused to host[addr]:port: PROTOCOL with cipher CIPHER ..." */
export interface TlsEvent {
  kind: 'tls';
  process: string;
  host: string;
  ip: string;
  port?: number;
  trust: TlsTrust;
  protocol: string;
  cipher: string;
}

/** "Host offered STARTTLS: [host]": logged (smtp_tls_note_starttls_offer) only when TLS was not used. */
export interface StarttlsOfferedEvent {
  kind: 'starttls-offered';
  process: string;
  host: string;
}

export type MailLogEvent = DeliveryEvent | TlsEvent | StarttlsOfferedEvent;

// "Nov 21 02:00:00" (day space-padded) or RFC 3339 ("...+00:00"; journalctl short-iso writes
// "+0000"), then the host name, then the tag with its PID.
const PREFIX =
  /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) (\S+) (\S+\/smtp)\[(\d+)\]: (.*)$/;

// Host names and addresses are restricted to the characters they can hold, so nothing else
// from a log line reaches the output.
const NAME = '[A-Za-z0-9._-]+';
const ADDR = '[0-9A-Fa-f:.]+';
const RELAY = new RegExp(`^(${NAME})\\[(${ADDR})\\](?::(\\d{1,5}))?$`);

// log_adhoc(): "QUEUEID: to=<rcpt>, [orig_to=<addr>, ]relay=R, [conn_use=N, ]delay=..., dsn=X.Y.Z, status=S (reason)".
// Postfix 3.11 adds ", tls=..." before dsn=, so the status is found by its dsn= neighbour.
const DELIVERY = /^([0-9A-Za-z]+): to=<(.*?)>, (?:orig_to=<.*?>, )?relay=([^,\s]+), .*?\bdsn=\d\.\d{1,3}\.\d{1,3}, status=([a-z]+)\b(?: \((.*)\))?/;

const TLS = new RegExp(
  `^(Anonymous|Untrusted|Trusted|Verified) TLS connection (?:established|reused) to (${NAME})\\[(${ADDR})\\](?::(\\d{1,5}))?: (\\S+) with cipher (\\S+)`,
);

const OFFERED = new RegExp(`^Host offered STARTTLS: \\[(${NAME})\\]$`);

const STATUSES: ReadonlySet<string> = new Set<DeliveryStatus>(['sent', 'deferred', 'bounced']);

function port(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

/** The recipient's domain as a policy key would hold it, or undefined (no @, address literal). */
function recipientDomain(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  const ascii = domainToASCII(address.slice(at + 1).toLowerCase().replace(/\.$/, ''));
  return isHostName(ascii) ? ascii : undefined;
}

function parseDelivery(process: string, message: string): DeliveryEvent | undefined {
  const m = DELIVERY.exec(message);
  if (!m) return undefined;
  const [, queueId, recipient, relay, status, reason] = m;
  // Address-verification probes log deliverable/undeliverable: no mail went anywhere.
  if (!STATUSES.has(status!)) return undefined;
  const domain = recipientDomain(recipient!);
  if (!domain) return undefined;
  const tlsFailure = status === 'sent' || reason === undefined ? undefined : tlsFailureOf(reason);
  const failure = tlsFailure ? { tlsFailure } : {};
  if (relay === 'none') return tlsFailure ? { kind: 'delivery', process, queueId: queueId!, domain, status: status as DeliveryStatus, ...failure } : undefined;
  const r = RELAY.exec(relay!);
  if (!r) return undefined;
  return {
    kind: 'delivery',
    process,
    queueId: queueId!,
    domain,
    relayHost: r[1]!.toLowerCase(),
    relayIp: r[2]!.toLowerCase(),
    relayPort: port(r[3]),
    status: status as DeliveryStatus,
    ...failure,
  };
}

/** Parses one line of a Postfix mail log; undefined for anything but SMTP-client events. */
export function parseLogLine(line: string): MailLogEvent | undefined {
  const p = PREFIX.exec(line);
  if (!p) return undefined;
  const [, host, tag, pid, message] = p;
  const process = `${host} ${tag}[${pid}]`;
  const msg = message!;

  const tls = TLS.exec(msg);
  if (tls) {
    return {
      kind: 'tls',
      process,
      trust: tls[1] as TlsTrust,
      host: tls[2]!.toLowerCase(),
      ip: tls[3]!.toLowerCase(),
      port: port(tls[4]),
      protocol: tls[5]!,
      cipher: tls[6]!,
    };
  }
  const offered = OFFERED.exec(msg);
  if (offered) return { kind: 'starttls-offered', process, host: offered[1]!.toLowerCase() };
  return parseDelivery(process, msg);
}
