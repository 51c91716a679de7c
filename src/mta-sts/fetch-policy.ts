// Fetch an MTA-STS policy (RFC 8461 §3.3): HTTPS GET https://mta-sts.<domain>/.well-known/mta-sts.txt,
// certificate verified against the given CAs for the mta-sts name (sent as SNI), redirects not
// followed, status 200 and text/plain only, the body capped while it streams, one deadline for
// the whole exchange. Never throws: every outcome is a PolicyFetchResult.
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { netErrorCause } from '../net-errors.js';

export type PolicyFetchErrorKind = 'dns' | 'connect' | 'tls' | 'http-status' | 'content-type' | 'too-large' | 'timeout';

export type PolicyFetchResult =
  | { ok: true; url: string; body: string; contentType: string }
  | {
      ok: false;
      url: string;
      kind: PolicyFetchErrorKind;
      /** Free text (Node's message, the status line ...); never parsed. */
      detail: string;
      /** HTTP status, when a response arrived. */
      status?: number;
      /** Location header of a redirect that was not followed. */
      location?: string;
    };

export interface ConnectTarget {
  address: string;
  port?: number;
}

export interface FetchPolicyOptions {
  /** PEM CA certificates to trust; only these when given. Default: Node's built-in roots. */
  ca?: string[];
  /** Deadline for DNS, connect, TLS, request and the whole body. Default 15 s. */
  timeoutMs?: number;
  /** Body cap in bytes. Default 64 KiB. */
  maxBytes?: number;
  /** Connect to this address/port instead of resolving the host (by lower-case host name). */
  connectTo?: Readonly<Record<string, ConnectTarget>>;
  /** Port when connectTo has none. Default 443. */
  port?: number;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_POLICY_BYTES = 64 * 1024;
const WELL_KNOWN = '/.well-known/mta-sts.txt';

export function policyHost(domain: string): string {
  const lower = domain.toLowerCase();
  return `mta-sts.${lower.endsWith('.') ? lower.slice(0, -1) : lower}`;
}

export function policyUrl(domain: string): string {
  return `https://${policyHost(domain)}${WELL_KNOWN}`;
}

/** The media type of a Content-Type header, lower case, parameters dropped. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function fetchStsPolicy(domain: string, opts: FetchPolicyOptions = {}): Promise<PolicyFetchResult> {
  const host = policyHost(domain);
  const url = policyUrl(domain);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_POLICY_BYTES;
  const target = opts.connectTo?.[host];
  return new Promise((resolve) => {
    let settled = false;
    // How far the connection got, to tell a TCP failure from a TLS one.
    let stage: 'lookup' | 'connect' | 'tls' | 'http' = 'lookup';
    let request: ReturnType<typeof https.request> | undefined;
    const finish = (result: PolicyFetchResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request?.destroy();
      resolve(result);
    };
    const fail = (kind: PolicyFetchErrorKind, detail: string, extra: { status?: number; location?: string } = {}): void =>
      finish({ ok: false, url, kind, detail, ...extra });
    const timer = setTimeout(() => fail('timeout', `no complete answer within ${timeoutMs} ms (at ${stage})`), timeoutMs);

    const onResponse = (res: IncomingMessage): void => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        const location = typeof res.headers.location === 'string' ? { location: res.headers.location } : {};
        const what = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
        fail('http-status', `HTTP ${status}${what}`, { status, ...location });
        return;
      }
      const contentType = res.headers['content-type'] ?? '';
      if (mediaType(contentType) !== 'text/plain') {
        fail('content-type', `Content-Type ${JSON.stringify(contentType)}, expected text/plain`, { status });
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail('too-large', `Content-Length ${declared} is over ${maxBytes} bytes`, { status });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail('too-large', `body is over ${maxBytes} bytes`, { status });
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish({ ok: true, url, body: Buffer.concat(chunks).toString('utf8'), contentType }));
      res.on('error', (err) => fail(stage === 'http' ? 'connect' : 'tls', `body: ${err.message}`, { status }));
      res.on('aborted', () => fail('connect', 'connection closed during the body', { status }));
    };

    try {
      request = https.request({
        host: target?.address ?? host,
        port: target?.port ?? opts.port ?? 443,
        path: WELL_KNOWN,
        method: 'GET',
        // Verified against, and sent as SNI: always the mta-sts name, whatever address is used.
        // (Node's agent would also derive it from the Host header; this does not rely on that.)
        servername: host,
        headers: { host, accept: 'text/plain', 'user-agent': 'mxtls' },
        ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
        rejectUnauthorized: true,
        agent: false,
      });
    } catch (err) {
      fail('connect', err instanceof Error ? err.message : String(err));
      return;
    }
    request.on('socket', (socket: TLSSocket) => {
      socket.once('lookup', () => {
        stage = 'connect';
      });
      socket.once('connect', () => {
        stage = 'tls';
      });
      socket.once('secureConnect', () => {
        stage = 'http';
      });
    });
    request.on('response', onResponse);
    request.on('error', (err) => {
      const cause = netErrorCause(err);
      if (cause === 'dns') fail('dns', `${host}: ${err.message}`);
      else if (cause === 'timeout') fail('timeout', err.message);
      // A reset or close during the handshake is a TLS failure of the policy host, as before
      // the one table: the cause says what happened, the stage where.
      else if (cause === 'tls' || stage === 'tls') fail('tls', err.message);
      else fail('connect', err.message);
    });
    request.end();
  });
}
