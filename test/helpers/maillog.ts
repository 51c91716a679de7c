// Postfix log lines as Postfix writes them (log_adhoc.c, tls_misc.c, smtp_proto.c), for the
// maillog tests. Timestamps advance one second per line so a log reads like a real one.
import { createMailLogAggregator, type MailLogSummary } from '../../src/maillog/aggregate.js';
import { parseLogLine } from '../../src/maillog/parse-line.js';

export type Stamp = 'syslog' | 'rfc3339';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function stamp(kind: Stamp, at: Date): string {
  if (kind === 'rfc3339') return at.toISOString().replace(/\.(\d{3})Z$/, '.$1456+00:00');
  const day = String(at.getUTCDate()).padStart(2, ' ');
  const time = at.toISOString().slice(11, 19);
  return `${MONTHS[at.getUTCMonth()]} ${day} ${time}`;
}

/** Builds lines of one host's log; `tag` is e.g. "postfix/smtp" or "postfix-out/smtp". */
export function logWriter(kind: Stamp, host = 'mail') {
  let t = Date.UTC(2026, 10, 1, 2, 0, 0);
  return (tag: string, pid: number, message: string): string => {
    t += 1000;
    return `${stamp(kind, new Date(t))} ${host} ${tag}[${pid}]: ${message}`;
  };
}

export function tlsMessage(namaddr: string, trust = 'Trusted', usage: 'established' | 'reused' = 'established'): string {
  return (
    `${trust} TLS connection ${usage} to ${namaddr}: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)` +
    ' key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256'
  );
}

export function deliveryMessage(
  queueId: string,
  to: string,
  relay: string,
  status: 'sent' | 'deferred' | 'bounced' = 'sent',
  opts: { origTo?: string; connUse?: number } = {},
): string {
  const dsn = { sent: '2.0.0', deferred: '4.7.1', bounced: '5.1.1' }[status];
  const reason = {
    sent: `250 2.0.0 Ok: queued as 4${queueId.slice(1)}`,
    deferred: `host ${relay.replace(/:\d+$/, '')} said: 451 4.7.1 Try again later (in reply to RCPT TO command)`,
    bounced: `host ${relay.replace(/:\d+$/, '')} said: 550 5.1.1 User unknown (in reply to RCPT TO command)`,
  }[status];
  const origTo = opts.origTo ? `orig_to=<${opts.origTo}>, ` : '';
  const connUse = opts.connUse ? `conn_use=${opts.connUse}, ` : '';
  return `${queueId}: to=<${to}>, ${origTo}relay=${relay}, ${connUse}delay=0.81, delays=0.1/0.01/0.3/0.4, dsn=${dsn}, status=${status} (${reason})`;
}

/** The per-domain summary of these log lines, as the commands build it from a file. */
export function summarize(lines: readonly string[]): MailLogSummary {
  const aggregator = createMailLogAggregator();
  for (const line of lines) {
    const event = parseLogLine(line);
    if (event) aggregator.add(event);
  }
  return aggregator.summary();
}
