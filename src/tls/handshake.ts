// The TLS handshake after STARTTLS (I/O): upgrade the connected plain socket, capture what was
// negotiated and the peer chain while the socket is open, and turn every way it can fail into
// one typed outcome. Never throws, never rejects, settles exactly once.
//
// The caller must have removed its own 'data' listeners from `plain` and dropped any plaintext
// it buffered after the server's 220 (RFC 3207 §6); from here on the TLS layer owns the stream.
import { constants, createHash } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { errorCode, netErrorCause, type NetErrorCause } from '../net-errors.js';
import type { CertificateSummary, KeyExchange, ProbeOptions, TlsDetails, TrustStore } from '../types.js';
import { summarizeCertificate } from './certificate.js';
import { keyExchangeFromNode } from './key-exchange.js';
import { detailedChain, type PeerCertificate, sentChainInNodeOrder, sentChainReadable } from './peer-chain.js';
import { trustVerdict } from './trust.js';

export interface HandshakeOptions {
  /** The MX host name: sent as SNI unless it is an IP literal. */
  servername: string;
  trust: TrustStore;
  timeoutMs: number;
  /** Also allow TLS 1.0/1.1 and OpenSSL security level 0 (the retry for old servers). */
  legacy: boolean;
  /** The run's memo of certificate summaries (ProbeOptions.certificates). */
  certificates?: ProbeOptions['certificates'];
}

export type HandshakeFailureKind = 'tls-timeout' | 'tls-handshake-failed' | 'connection-reset' | 'connection-closed' | 'internal-error';

export type HandshakeOutcome =
  | { ok: true; socket: tls.TLSSocket; details: TlsDetails }
  | { ok: false; kind: HandshakeFailureKind; message: string; code?: string; stack?: string; legacyMightHelp: boolean };

type Failure = Extract<HandshakeOutcome, { ok: false }>;

/**
 * Errors that mean "this server only speaks older TLS or weaker crypto than our defaults", so a
 * retry with `legacy: true` may succeed. Codes as Node 20 / OpenSSL 3 report them on the client.
 */
const LEGACY_MIGHT_HELP = new Set([
  'ERR_SSL_UNSUPPORTED_PROTOCOL', // server chose TLS 1.0/1.1, below our minVersion
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', // server refused our versions
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', // server found no shared cipher / signature algorithm
  'ERR_SSL_NO_CIPHERS_AVAILABLE',
  'ERR_SSL_NO_SHARED_CIPHER',
  'ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM',
  'ERR_SSL_NO_SUITABLE_DIGEST_ALGORITHM',
  'ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED', // SHA-1/MD5 handshake signatures
  'ERR_SSL_INSUFFICIENT_SECURITY',
  'ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY',
  'ERR_SSL_DH_KEY_TOO_SMALL', // OpenSSL's security level refuses the server's DH group
  'ERR_TLS_DH_PARAM_SIZE', // Node's own minDHSize check
  'ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED', // server without RFC 5746 support
]);

/** What src/net-errors.ts says happened, named for the handshake: a timeout is the handshake's. */
const KIND_BY_CAUSE: Readonly<Record<NetErrorCause, HandshakeFailureKind>> = {
  dns: 'tls-handshake-failed',
  refused: 'tls-handshake-failed',
  timeout: 'tls-timeout',
  unreachable: 'tls-handshake-failed',
  reset: 'connection-reset',
  closed: 'connection-closed',
  tls: 'tls-handshake-failed',
  other: 'tls-handshake-failed',
};

function classify(err: NodeJS.ErrnoException): Failure {
  const code = errorCode(err);
  const failure = (kind: HandshakeFailureKind): Failure => {
    const f: Failure = { ok: false, kind, message: err.message, legacyMightHelp: !!code && LEGACY_MIGHT_HELP.has(code) };
    if (code) f.code = code;
    return f;
  };
  return failure(KIND_BY_CAUSE[netErrorCause(err)]);
}

/**
 * One secure context per trust store and mode, built once: passing `ca` to every tls.connect
 * would parse the whole CA bundle (some 140 certificates from the system store) again for
 * every probe, which measured as most of a probe's CPU time.
 */
const contexts = new WeakMap<TrustStore, { modern?: tls.SecureContext; legacy?: tls.SecureContext }>();

function secureContext(trust: TrustStore, legacy: boolean): tls.SecureContext {
  let entry = contexts.get(trust);
  if (!entry) {
    entry = {};
    contexts.set(trust, entry);
  }
  const mode = legacy ? 'legacy' : 'modern';
  const cached = entry[mode];
  if (cached) return cached;
  const created = legacy
    ? tls.createSecureContext({
        ca: trust.ca,
        minVersion: 'TLSv1',
        // OpenSSL 3 refuses TLS 1.0/1.1 at security level 1 and above (their handshake
        // signatures use SHA-1/MD5), also small DH groups and short keys: level 0 lifts all of
        // that. Level 0 also applies to chain verification, so a legacy session may call a
        // SHA-1-signed or 1024-bit chain trusted that the default level would not.
        ciphers: 'DEFAULT:@SECLEVEL=0',
        // OpenSSL 3 also refuses servers that lack secure renegotiation (RFC 5746) by default.
        secureOptions: constants.SSL_OP_LEGACY_SERVER_CONNECT,
      })
    : tls.createSecureContext({ ca: trust.ca, minVersion: 'TLSv1.2' });
  entry[mode] = created;
  return created;
}

/**
 * `onPeer` receives the peer chain Node builds for its identity check, which it does only when
 * the chain verified: building that chain (getPeerCertificate(true)) measured as a quarter of a
 * probe's CPU time, so it is taken from there rather than built a second time.
 */
function connectOptions(plain: net.Socket, opts: HandshakeOptions, onPeer: (cert: tls.PeerCertificate) => void): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = {
    socket: plain,
    secureContext: secureContext(opts.trust, opts.legacy),
    // We want to see every certificate, not refuse it: trust becomes a verdict, not an error.
    rejectUnauthorized: false,
    // Names are judged by Postfix's rules in name-match.ts; Node's own check would otherwise
    // overwrite authorizationError with ERR_TLS_CERT_ALTNAME_INVALID and hide the trust result.
    checkServerIdentity: (_host, cert) => {
      onPeer(cert);
      return undefined;
    },
  };
  const sni = opts.servername.endsWith('.') ? opts.servername.slice(0, -1) : opts.servername;
  // RFC 6066 forbids IP literals in SNI (and Node warns about them).
  if (sni && net.isIP(sni) === 0) options.servername = sni;
  if (opts.legacy) options.minDHSize = 1;
  return options;
}

function keyExchange(socket: tls.TLSSocket): KeyExchange | undefined {
  return keyExchangeFromNode(socket.getEphemeralKeyInfo(), socket.getProtocol());
}

/** Read once: whether this runtime's getPeerX509Certificate() is safe (see peer-chain.ts). */
const SENT_CHAIN_READABLE = sentChainReadable();

/**
 * The peer chain as Node's getPeerCertificate(true) orders it: Node reorders what the server
 * sent into issuer order, drops sent certificates that do not fit the chain, and then appends
 * issuers found in the *local* trust store (a root the server never sent). Where
 * getPeerX509Certificate() is safe, the same chain is built from it (peer-chain.ts), which
 * costs far less than the detailed chain (see skipDetailedChain).
 */
function nodeChain(
  socket: tls.TLSSocket,
  presented: tls.DetailedPeerCertificate | undefined,
  opts: HandshakeOptions,
): Array<{ summary: CertificateSummary; der: Buffer }> {
  const certs: PeerCertificate[] = SENT_CHAIN_READABLE
    ? sentChainInNodeOrder(socket.getPeerX509Certificate(), opts.trust)
    : detailedChain(presented ?? socket.getPeerCertificate(true));
  const certificates = opts.certificates;
  return certs.map(({ der, sha256 }) => ({ summary: certificates ? certificates.summarize(der, sha256) : summarizeCertificate(der), der }));
}

/**
 * Node's client calls this.getPeerCertificate(true) after a verified handshake only to hand the
 * result to checkServerIdentity (lib/internal/tls/wrap.js, onConnectSecure), and ours ignores
 * it where the chain comes from getPeerX509Certificate(). That detailed chain (subject objects,
 * SHA-1/256/512 fingerprints, key fields for every certificate) measured as 0.26 ms of a
 * 2.3 ms probe on Node 24 (--cpu-prof, 2,000-domain lab scan). So, for the handshake only, the
 * socket's own getPeerCertificate returns an empty object; `restore` puts Node's back. Should
 * Node stop calling it, this merely saves nothing.
 */
function skipDetailedChain(socket: tls.TLSSocket): () => void {
  Object.defineProperty(socket, 'getPeerCertificate', { value: () => ({}), configurable: true, writable: true });
  return () => {
    delete (socket as { getPeerCertificate?: unknown }).getPeerCertificate;
  };
}

const anchorCache = new WeakMap<TrustStore, Set<string>>();

/** SHA-256 fingerprints of the store's certificates, computed once per TrustStore object. */
function storeFingerprints(trust: TrustStore): Set<string> {
  let set = anchorCache.get(trust);
  if (!set) {
    set = new Set();
    for (const pem of trust.ca) {
      const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
      set.add(createHash('sha256').update(Buffer.from(body, 'base64')).digest('hex'));
    }
    anchorCache.set(trust, set);
  }
  return set;
}

/**
 * Splits Node's chain into what the server certainly sent and the issuers Node may have added
 * from our own store. Node appends store certificates only after one that is not self-issued,
 * so the split is the trailing run of store certificates above such a one. A server that sends
 * a root that is also in our store looks exactly the same: that root lands in `storeIssuers`,
 * and only a handshake against an empty store (ProbeTarget.sentChain) tells the two apart, which
 * DANE needs when a TLSA record names that root. The leaf is always in `chain`.
 */
function splitStoreIssuers(chain: Array<{ summary: CertificateSummary; der: Buffer }>, trust: TrustStore): Pick<TlsDetails, 'chain' | 'storeIssuers'> {
  const anchors = storeFingerprints(trust);
  let sent = chain.length;
  while (sent > 1) {
    const last = chain[sent - 1]!;
    const before = chain[sent - 2]!;
    if (!anchors.has(last.summary.sha256Fingerprint) || before.summary.selfIssued) break;
    sent--;
  }
  const summaries = chain.slice(0, sent).map((c) => c.summary);
  return sent < chain.length ? { chain: summaries, storeIssuers: chain.length - sent } : { chain: summaries };
}

function authorizationCode(socket: tls.TLSSocket): string | null {
  if (socket.authorized) return null;
  // Typed as Error in @types/node, but Node sets the OpenSSL code string.
  const raw: unknown = socket.authorizationError;
  if (typeof raw === 'string') return raw || 'UNKNOWN';
  if (raw instanceof Error) return (raw as NodeJS.ErrnoException).code ?? raw.message;
  return 'UNKNOWN';
}

function capture(socket: tls.TLSSocket, opts: HandshakeOptions, presented: tls.DetailedPeerCertificate | undefined): TlsDetails {
  const trust = opts.trust;
  const cipher = socket.getCipher();
  // Trust is judged on Node's full chain (with appended anchors), which is what OpenSSL saw.
  const full = nodeChain(socket, presented, opts);
  const details: TlsDetails = {
    // getProtocol() is the negotiated version; getCipher().version is the suite's minimum.
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: cipher.standardName || cipher.name,
    cipherOpenssl: cipher.name,
    ...splitStoreIssuers(full, trust),
    trust: trustVerdict(authorizationCode(socket), full.map((c) => c.summary)),
    legacyOnly: false, // the caller knows whether this was the legacy retry
  };
  const kx = keyExchange(socket);
  if (kx) details.keyExchange = kx;
  return details;
}

/** Upgrades `plain` to TLS; on failure the socket is destroyed. */
export function upgradeToTls(plain: net.Socket, opts: HandshakeOptions): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let socket: tls.TLSSocket | undefined;
    let timer: NodeJS.Timeout | undefined;
    // Set just before 'secureConnect' when the chain verified (see connectOptions).
    let presented: tls.DetailedPeerCertificate | undefined;
    let restoreDetailedChain: (() => void) | undefined;

    const finish = (outcome: HandshakeOutcome): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      restoreDetailedChain?.();
      socket?.removeListener('secureConnect', onSecure);
      socket?.removeListener('close', onClose);
      plain.removeListener('close', onClose);
      if (!outcome.ok) {
        socket?.destroy();
        plain.destroy();
      }
      resolve(outcome);
    };
    // Stays attached after settling (as a no-op) so a late error can never become an uncaught
    // exception; the caller adds its own listeners for the session that follows.
    const onError = (err: Error): void => finish(classify(err));
    const onClose = (): void =>
      finish({ ok: false, kind: 'connection-closed', message: 'connection closed during the TLS handshake', legacyMightHelp: false });
    const onSecure = (): void => {
      try {
        finish({ ok: true, socket: socket!, details: capture(socket!, opts, presented) });
      } catch (err) {
        // Capturing reads only local state that OpenSSL already accepted: a throw here is a bug
        // in mxtls (an odd certificate we failed to summarize), never the server's fault.
        const message = err instanceof Error ? err.message : String(err);
        const stack = err instanceof Error ? err.stack : undefined;
        finish({ ok: false, kind: 'internal-error', message: `capturing TLS details failed: ${message}`, ...(stack ? { stack } : {}), legacyMightHelp: false });
      }
    };

    if (plain.destroyed || !plain.readable || !plain.writable) {
      onClose();
      return;
    }
    timer = setTimeout(
      () => finish({ ok: false, kind: 'tls-timeout', message: `TLS handshake not complete after ${opts.timeoutMs} ms`, legacyMightHelp: false }),
      opts.timeoutMs,
    );
    plain.on('error', onError);
    plain.once('close', onClose);
    try {
      socket = tls.connect(
        connectOptions(plain, opts, (cert) => {
          // Node passes the detailed chain (getPeerCertificate(true)), though typed as the leaf only.
          presented = cert as tls.DetailedPeerCertificate;
        }),
      );
    } catch (err) {
      // Bad options (e.g. a malformed CA PEM) throw synchronously from createSecureContext.
      finish(classify(err as NodeJS.ErrnoException));
      return;
    }
    if (SENT_CHAIN_READABLE) restoreDetailedChain = skipDetailedChain(socket);
    socket.on('error', onError);
    socket.once('close', onClose);
    socket.once('secureConnect', onSecure);
  });
}
