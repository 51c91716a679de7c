// Postfix's explicit next hop, `[host]` or `[host]:port` (transport and policy tables): read
// from input lines, probed by the scan, validated as a policy key.
import { isIPv4 } from 'node:net';
import { isHostName } from './host-name.js';

/** A Postfix explicit next hop: probe this host directly, no MX lookup. */
export interface Nexthop {
  host: string;
  port?: number;
}

const NEXTHOP = /^\[([^\]]+)\](?::([0-9]+))?$/;

/** The `[host]` / `[host]:port` grammar, shared with the policy-key validator. */
export function parseNexthopKey(text: string): { ok: true; nexthop: Nexthop } | { ok: false; error: string } {
  const m = NEXTHOP.exec(text);
  if (!m) return { ok: false, error: 'not a valid next hop ([host] or [host]:port)' };
  const [, host = '', portText] = m;
  if (!isHostName(host) && !isIPv4(host)) return { ok: false, error: 'next hop host must be an A-label host name or IPv4 address' };
  if (portText !== undefined && (!/^[1-9][0-9]*$/.test(portText) || Number(portText) > 65535)) {
    return { ok: false, error: 'next hop port must be 1-65535' };
  }
  return { ok: true, nexthop: portText === undefined ? { host } : { host, port: Number(portText) } };
}
