// Parsing of `--resolver` values and of /etc/resolv.conf. Only IP literals are accepted: a
// resolver given by name would need a resolver to find it.
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ResolverAddress } from '../types.js';

export const DNS_PORT = 53;

/** glibc's behaviour when resolv.conf names no server: ask the local host. */
const FALLBACK: ResolverAddress = { address: '127.0.0.1', port: DNS_PORT };

/** Hex digits in lower case; a zone suffix keeps its case, interface names are case-sensitive. */
function canonical(address: string): string {
  const zone = address.indexOf('%');
  return zone < 0 ? address.toLowerCase() : address.slice(0, zone).toLowerCase() + address.slice(zone);
}

function parsePort(text: string, input: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new Error(`invalid resolver "${input}": port must be 1-65535, got "${text}"`);
  }
  return port;
}

/** "1.2.3.4", "1.2.3.4:5353", "::1", "[::1]:5353", "2001:db8::1" (a bare IPv6 means port 53). */
export function parseResolverAddress(text: string): ResolverAddress {
  const input = text.trim();
  if (input === '') throw new Error('invalid resolver "": empty');

  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(input);
  if (bracketed) {
    const address = bracketed[1] ?? '';
    if (isIP(address) !== 6) throw new Error(`invalid resolver "${input}": "${address}" is not an IPv6 address`);
    const port = bracketed[2] === undefined ? DNS_PORT : parsePort(bracketed[2], input);
    return { address: canonical(address), port };
  }
  // Checked before "host:port" because an IPv6 literal is full of colons.
  if (isIP(input) !== 0) return { address: canonical(input), port: DNS_PORT };

  const colon = input.lastIndexOf(':');
  if (colon > 0 && isIP(input.slice(0, colon)) === 4) {
    return { address: input.slice(0, colon), port: parsePort(input.slice(colon + 1), input) };
  }
  throw new Error(
    `invalid resolver "${input}": expected an IP address, "1.2.3.4:port" or "[ipv6]:port" (host names are not accepted)`,
  );
}

/** "addr:port", or "[v6]:port" so that the port cannot be read as part of the address. */
export function formatResolverAddress(resolver: ResolverAddress): string {
  return isIP(resolver.address) === 6
    ? `[${resolver.address}]:${resolver.port}`
    : `${resolver.address}:${resolver.port}`;
}

/**
 * The `nameserver` lines of a resolv.conf, in order. Like glibc, entries that are not IP
 * addresses are skipped rather than fatal; a zone suffix ("fe80::1%eth0") is kept because
 * a link-local resolver is unreachable without it.
 */
export function parseResolvConf(text: string): ResolverAddress[] {
  const resolvers: ResolverAddress[] = [];
  for (const rawLine of text.split('\n')) {
    const [keyword, value] = rawLine.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (keyword === 'nameserver' && value !== undefined && isIP(value) !== 0) {
      resolvers.push({ address: canonical(value), port: DNS_PORT });
    }
  }
  return resolvers;
}

/** The system's resolvers; 127.0.0.1:53 when the file is missing, unreadable or lists none. */
export async function systemResolvers(path = '/etc/resolv.conf'): Promise<ResolverAddress[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [{ ...FALLBACK }];
  }
  const resolvers = parseResolvConf(text);
  return resolvers.length > 0 ? resolvers : [{ ...FALLBACK }];
}
