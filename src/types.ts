// Result and option types shared by every stage. This file imports nothing so that renderers,
// policy and the library's users can depend on it without pulling in network code.
//
// Each closed vocabulary is declared once, as an `as const` list (in its order where the order
// means something) with its union type derived from it: code that needs the words or their
// order (a rank, a schema, a test over every value) uses the list, never a copy.

/** Bumped whenever a field of DomainResult changes meaning or shape; golden files pin it. */
export const SCHEMA_VERSION = 3;

// ─── DNS ────────────────────────────────────────────────────────────────────────────────

export const DNS_STATUSES = ['ok', 'nodata', 'nxdomain', 'servfail', 'bogus', 'refused', 'timeout', 'error'] as const;
/**
 * How one DNS question ended. `nodata` is NOERROR with no RRset of the asked type. `bogus` is a
 * SERVFAIL that the same resolver answers when asked with checking disabled (CD=1): DNSSEC
 * validation failed, and a validating sender treats the name as unreachable.
 */
export type DnsStatus = (typeof DNS_STATUSES)[number];

/** A resolver to ask: IPv4 or IPv6 address and port (default 53). */
export interface ResolverAddress {
  address: string;
  port: number;
}

/** One answered (or failed) question, with what the resolver said about DNSSEC. */
export interface DnsAnswer<T> {
  status: DnsStatus;
  /** The records of the asked type, after following CNAMEs. Empty unless status is 'ok'. */
  records: T[];
  /** CNAME chain followed from the query name, in order (empty when none). */
  cnames: string[];
  /** AD bit of the response: the configured resolver says it validated the answer. */
  authenticated: boolean;
  /** Which resolver gave this answer, as "address:port" ("[v6]:port" for IPv6). */
  resolver?: string;
  /** Free text for 'error' and 'timeout' (what failed); never parsed. */
  detail?: string;
}

export interface MxRecord {
  preference: number;
  /** Lower case, no trailing dot. "" for a null MX target ("."). */
  exchange: string;
}

/** The resolver interface the scanner is given; tests and the lab inject their own. */
export interface Resolver {
  mx(name: string): Promise<DnsAnswer<MxRecord>>;
  a(name: string): Promise<DnsAnswer<string>>;
  aaaa(name: string): Promise<DnsAnswer<string>>;
  /** TXT records, each as its list of character-strings (for MTA-STS and TLS-RPT). */
  txt?(name: string): Promise<DnsAnswer<string[]>>;
  /** TLSA records (RFC 6698), for DANE; without it no TLSA lookup is made. */
  tlsa?(name: string): Promise<DnsAnswer<TlsaRecord>>;
}

/** One TLSA record. The numbers are kept as received, unknown values included. */
export interface TlsaRecord {
  usage: number;
  selector: number;
  matchingType: number;
  /** Certificate association data, lower-case hex. */
  data: string;
}

/** One MX host with the addresses found for it (`A`: how an answer is written; see SparseDnsAnswer). */
export interface MxHost<A = DnsAnswer<string>> {
  /** Lower case, no trailing dot. For an implicit MX, the domain itself. */
  name: string;
  preference: number;
  a: A;
  aaaa: A;
}

/** The outcome of resolving a domain's mail exchangers (RFC 5321 §5.1, RFC 7505). `M` and `A`:
 *  how the MX and address answers are written (whole, or sparse in a compact line). */
export type MxResolution<M = DnsAnswer<MxRecord>, A = DnsAnswer<string>> =
  /** `explicit`: the input was a next hop `[host]:port`; no MX lookup was made. */
  | { status: 'ok'; implicit: boolean; explicit?: boolean; hosts: MxHost<A>[]; mx: M }
  | { status: 'null-mx'; mx: M }
  | { status: 'nxdomain'; mx: M }
  /** The domain exists but has neither MX nor A/AAAA: no way to deliver. */
  | { status: 'no-mail-host'; mx: M }
  | { status: 'dns-error'; mx: M; reason: DnsStatus; detail?: string };

// ─── SMTP ───────────────────────────────────────────────────────────────────────────────

/** One complete SMTP reply (all lines of a multi-line reply). */
export interface SmtpReply {
  code: number;
  /** Text of each line after the code and separator, control bytes replaced by U+FFFD. */
  lines: string[];
}

export const PROBE_STAGES = ['connect', 'greeting', 'ehlo', 'starttls', 'tls', 'ehlo-tls', 'quit', 'done'] as const;
/** The last stage a probe completed, in this order. A session that ran to its end (with or
 *  without TLS) is 'done'; a failed one keeps its last completed stage and `failure.stage`
 *  names the step that failed (a refused connection: 'connect' with failure.stage 'connect'). */
export type ProbeStage = (typeof PROBE_STAGES)[number];

export const PROBE_FAILURE_KINDS = [
  'connect-refused',
  'connect-timeout',
  'network-unreachable',
  'greeting-timeout',
  'command-timeout',
  'tls-timeout',
  'connection-closed',
  'connection-reset',
  'greeting-rejected',
  'ehlo-rejected',
  'starttls-rejected',
  'protocol-error',
  'reply-too-long',
  'tls-handshake-failed',
  'io-error',
  'internal-error',
] as const;
/** The closed vocabulary of ways a probe can fail; Node's and OpenSSL's error codes reach it
 *  through one table (src/net-errors.ts). `internal-error` is a bug in mxtls while probing:
 *  never a fault of the server (ARCHITECTURE principle 2). */
export type ProbeFailureKind = (typeof PROBE_FAILURE_KINDS)[number];

export interface ProbeFailure {
  stage: ProbeStage;
  kind: ProbeFailureKind;
  /** Human-readable cause (Node's error message or the server's reply), for reports only. */
  message: string;
  /** Node's error code when there was one (ECONNREFUSED, ERR_SSL_...). */
  code?: string;
  /** The stack of an internal error, for the bug report. */
  stack?: string;
  /** The server's reply that ended the session (a 4xx or 5xx to the greeting, EHLO or STARTTLS). */
  reply?: SmtpReply;
}

/** An attempt at an address that got a transient (4xx) answer and was tried again later. */
export interface EarlierAttempt {
  /** ISO 8601. */
  startedAt: string;
  /** The step the server answered: 'greeting', 'ehlo', or 'starttls' for a 421. */
  stage: ProbeStage;
  reply: SmtpReply;
}

/** A line of the session as seen on the wire, bounded in count and length. */
export interface TranscriptLine {
  dir: 'C' | 'S' | '*';
  text: string;
}

// ─── TLS ────────────────────────────────────────────────────────────────────────────────

export interface CertificateSummary {
  subject: string;
  /** Common name(s) of the subject, in order. */
  subjectCN: string[];
  /** DNS names of the subjectAltName extension, exactly as encoded (may hold odd bytes). */
  dnsNames: string[];
  issuer: string;
  serialNumber: string;
  notBefore: string; // ISO 8601
  notAfter: string; // ISO 8601
  keyType: string; // 'rsa' | 'ec' | 'ed25519' | ...
  keyBits?: number;
  keyCurve?: string;
  signatureAlgorithm: string; // e.g. 'sha256WithRSAEncryption', 'ecdsa-with-SHA256'
  /** Lower-case hex, no colons. @pattern ^[0-9a-f]{64}$ */
  sha256Fingerprint: string;
  spkiSha256: string; // lower-case hex of SHA-256 over the DER SubjectPublicKeyInfo
  selfIssued: boolean;
  isCA: boolean;
  /**
   * The certificate's DER, base64 (standard alphabet, padded). Kept so DANE TLSA records can be
   * matched against the chain the server sent (full certificate or SPKI, exact or hashed).
   * Optional: reports written before it existed, and hand-built results, lack it.
   */
  der?: string;
}

/** Why the chain is or is not trusted against the configured CA store. */
export type TrustVerdict =
  | 'trusted'
  | 'self-signed'
  | 'expired'
  | 'not-yet-valid'
  | 'unknown-issuer'
  | 'incomplete-chain'
  | 'bad-signature'
  | 'other';

export interface TrustResult {
  trusted: boolean;
  verdict: TrustVerdict;
  /** OpenSSL's verification error code as Node reports it, when not trusted. */
  code?: string;
}

/**
 * The negotiated key exchange. `type`, `name` and `size` are Node's getEphemeralKeyInfo() as
 * reported; `group` and `postQuantum` are ours (src/key-exchange.ts), absent in results written
 * before they existed.
 */
export interface KeyExchange {
  /**
   * 'ECDH', 'DH', or on Node 24+ 'TLSGroup' for groups that are neither (ML-KEM, hybrids);
   * 'unnamed' (ours) for a TLS 1.3 exchange Node did not describe (ML-KEM on Node 22).
   */
  type: string;
  /** The curve or group Node names: 'X25519', 'prime256v1', 'X25519MLKEM768'; none for DH. */
  name?: string;
  /** Bits, for ECDH and DH; Node gives none for ML-KEM groups (the name is the parameter set). */
  size?: number;
  /**
   * The group as OpenSSL names it: 'X25519MLKEM768', 'X25519', 'prime256v1', 'ffdhe2048'.
   * Absent for TLS 1.2 DHE, where the server sends its own parameters rather than a named group.
   */
  group?: string;
  /** The group is one of POST_QUANTUM_GROUPS (ML-KEM, alone or in a hybrid). */
  postQuantum?: boolean;
}

export interface TlsDetails {
  protocol: string; // from getProtocol(): 'TLSv1.3', 'TLSv1.2', ...
  cipher: string; // IANA standard name, e.g. TLS_AES_256_GCM_SHA384
  cipherOpenssl: string; // OpenSSL's name, e.g. ECDHE-RSA-AES256-GCM-SHA384
  keyExchange?: KeyExchange;
  /**
   * The chain the server sent, leaf first, in issuer order (Node's view: sent certificates that
   * are on no path from the leaf are left out), without the issuers Node added from our store.
   */
  chain: CertificateSummary[];
  /**
   * How many issuers above `chain` Node found in our trust store. The server may have sent them
   * as well: Node's chain cannot tell (a probe with `sentChain` can, and DANE asks it when a
   * TLSA record could name one of them). Absent when there are none.
   */
  storeIssuers?: number;
  trust: TrustResult;
  /** The default handshake failed and only the legacy retry (TLS 1.0/1.1, SECLEVEL=0) worked. */
  legacyOnly: boolean;
}

// ─── One address ────────────────────────────────────────────────────────────────────────

/** Everything observed while talking to one MX address. Plain data; never thrown. */
export interface AddressProbe {
  address: string;
  family: 4 | 6;
  port: number;
  /** The MX host name the probe was made for (SNI and name checks use it). */
  hostname: string;
  /** The furthest stage completed. 'done' means the whole session ran. */
  stage: ProbeStage;
  failure?: ProbeFailure;
  greeting?: SmtpReply;
  /** True when EHLO was refused and HELO was used instead. */
  heloFallback: boolean;
  /** EHLO keywords before TLS, upper case, as tokens (e.g. 'STARTTLS', 'SIZE', 'PIPELINING'). */
  ehloKeywords: string[];
  starttlsOffered: boolean;
  /** The server's reply to STARTTLS, when it was sent. */
  starttlsReply?: SmtpReply;
  tls?: TlsDetails;
  /** EHLO keywords after TLS; only with ProbeOptions.ehloAfterTls (`--ehlo-after-tls`). */
  ehloTlsKeywords?: string[];
  transcript: TranscriptLine[];
  startedAt: string; // ISO 8601
  durationMs: number;
  /**
   * Earlier attempts that got a transient answer (`421 too many connections`, greylisting-style
   * 4xx at EHLO), oldest first: the address was tried again later in the run and everything
   * above is the last attempt's. Absent when the first attempt stood.
   */
  earlierAttempts?: EarlierAttempt[];
}

// ─── One domain ─────────────────────────────────────────────────────────────────────────

/** How a certificate's names compare to a reference name under Postfix's rules. */
export interface NameMatch {
  /** The MX host name matches the leaf (Postfix `match=hostname`, used by `verify`). */
  hostname: boolean;
  /** The next-hop domain matches (`nexthop`). */
  nexthop: boolean;
  /** Some certificate name lies under the next-hop domain (Postfix `dot-nexthop`: ends in ".domain"). */
  dotNexthop: boolean;
  /** The certificate name that matched the host name, for reports. */
  matchedBy?: string;
}

export const ADDRESS_OBSERVATIONS = ['not-observed', 'no-starttls', 'tls-failed', 'legacy-tls', 'untrusted', 'name-mismatch', 'verified'] as const;
/**
 * What one address tells the policy, reduced to one word (docs/policy.md's table), weakest first:
 * a host is only as good as its weakest observed address, because Postfix may deliver through
 * any of them. `not-observed` says nothing and comes before all. `legacy-tls`: TLS worked only
 * with the legacy retry (TLS 1.0/1.1, SECLEVEL=0), so Postfix's defaults may fail.
 */
export type AddressObservation = (typeof ADDRESS_OBSERVATIONS)[number];

/** One address of an MX host: what the probe saw, and what it means for the policy. */
export interface AddressResult {
  probe: AddressProbe;
  observation: AddressObservation;
  /** Present when a TLS session was established. */
  names?: NameMatch;
  /** Present when the host has validated, usable TLSA records and this address was observed. */
  dane?: AddressDane;
}

/** The TLSA record that authenticated a server, and the depth of the certificate it matched
 *  (0 = leaf; the chain's length = a trust anchor carried in full by the record, not sent). */
export interface DaneMatchedBy {
  usage: number;
  selector: number;
  matchingType: number;
  depth: number;
}

/** Why DANE-TA records that matched a certificate still did not authenticate the server. */
export type DaneTaFailure = 'name-mismatch' | 'chain-invalid' | 'expired';

/** Why an address does not match, in a word: no TLS at all, no record matched, no chain to
 *  judge, or why DANE-TA records that matched still failed. */
export type AddressDaneFailure = 'no-tls' | 'no-match' | 'no-chain' | DaneTaFailure;

/** How one address fared against its host's TLSA records (RFC 7672 §3). */
export interface AddressDane {
  /** The chain the server sent is authenticated by a usable TLSA record. */
  matched: boolean;
  /** The record that matched: usage, selector, matching type, and the certificate depth. */
  by?: DaneMatchedBy;
  failure?: AddressDaneFailure;
}

export const HOST_DANE_STATUSES = ['not-applicable', 'no-tlsa', 'insecure-tlsa', 'tlsa', 'failed'] as const;

/**
 * A host's DANE standing (RFC 7672 §2.2):
 * - not-applicable: the MX RRset or this host's address records are not DNSSEC-validated, so
 *   no TLSA lookup is made (a DANE sender does not use DANE for this host);
 * - no-tlsa: validated, and there are no TLSA records (secure NODATA/NXDOMAIN);
 * - insecure-tlsa: TLSA records, but not validated: they do not count;
 * - tlsa: validated TLSA records (`usable` says how many count on port 25);
 * - failed: the TLSA lookup failed (SERVFAIL, bogus, timeout): a DANE sender defers.
 */
export interface HostDane {
  status: (typeof HOST_DANE_STATUSES)[number];
  /** The TLSA owner name asked last (the one whose records were used, for 'tlsa'). */
  tlsaName?: string;
  records: TlsaRecord[];
  /** Records usable for SMTP: usage 2 or 3, known selector and matching type. */
  usable: number;
  /** Why DANE does not apply, or how the lookup failed, for reports. */
  detail?: string;
}

/**
 * DNSSEC standing of a domain's lookups, as the configured resolver reported it (AD bit):
 * secure when the MX answer and every MX host's address answers were validated; partial when
 * the MX answer was but some hosts' addresses were not; insecure when the MX answer was not;
 * bogus when validation failed; unknown when the MX lookup failed otherwise.
 */
export type DnssecState = 'secure' | 'partial' | 'insecure' | 'bogus' | 'unknown';

/** One MX host: its addresses, their best observation, and its DANE standing. */
export interface HostResult {
  name: string;
  preference: number;
  /** 'no-address': A and AAAA both definitively empty, so Postfix skips this host too;
   *  'failed': an address lookup failed (SERVFAIL, timeout), so the host's TLS is unknown. */
  addressLookup: 'ok' | 'no-address' | 'failed';
  addresses: AddressResult[];
  /** The best-supported observation of this host's addresses; 'not-observed' when none were. */
  observation: AddressObservation;
  /** DANE standing, when DNSSEC/TLSA lookups were made (absent in older reports). */
  dane?: HostDane;
}

export type DomainStatus =
  | 'scanned' // MX resolved and at least one probe made
  | 'no-mail' // NXDOMAIN or null MX or no mail host: accepts no mail
  | 'dns-error' // SERVFAIL, timeout, refused...
  | 'internal-error'; // a bug in mxtls while scanning this domain: nothing is concluded

/** A bug in mxtls met while scanning one domain, kept for the bug report. */
export interface InternalError {
  message: string;
  stack?: string;
  /** Where it happened, when it was inside one probe: `address:port`. */
  address?: string;
}

/** Everything mxtls learnt about one domain: the unit of JSON/NDJSON output. */
export interface DomainResult {
  schema: number;
  /** The policy key: A-label, lower case, as it will appear in smtp_tls_policy_maps. @minLength 1 */
  domain: string;
  /** The input as the user gave it, when it differs from `domain`. */
  input?: string;
  /** Set for an explicit next hop (`[host]:port`): `domain` is then the key exactly as given. */
  nexthop?: { host: string; port?: number };
  status: DomainStatus;
  /** Set exactly when status is 'internal-error'. */
  internalError?: InternalError;
  /** For an internal error before the MX lookup finished, a placeholder dns-error. */
  mx: MxResolution;
  /** DNSSEC standing of the MX and address lookups (absent in older reports). */
  dnssec?: DnssecState;
  hosts: HostResult[];
  /** The domain's MTA-STS declaration (RFC 8461), when it was looked up. */
  mtaSts?: MtaStsReport;
  /** The domain's TLS reporting record (RFC 8460), when it was looked up. */
  tlsRpt?: TlsRptReport;
  /** When the domain's scan started (ISO 8601, UTC). @pattern ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$ */
  startedAt: string;
  durationMs: number;
}

// ─── Declarations ───────────────────────────────────────────────────────────────────────

export const DECLARATION_STATUSES = ['none', 'invalid', 'unknown', 'ok'] as const;
/** How an MTA-STS or TLS-RPT lookup ended: no record, a broken one, a failed lookup, a record. */
export type DeclarationStatus = (typeof DECLARATION_STATUSES)[number];

/** What a domain publishes about MTA-STS, as discovered (text fields come from the network). */
export interface MtaStsReport {
  /**
   * none: no v=STSv1 record. invalid: a record, but the record, the fetch or the policy is
   * broken (senders act as if there were none). unknown: the TXT lookup failed. ok: a policy.
   */
  status: DeclarationStatus;
  /** Where a non-ok result ended. */
  stage?: 'dns' | 'txt' | 'fetch' | 'policy';
  id?: string;
  /** `lines`: the policy as published, one entry per line without its terminator (the TLSRPT
   *  policy-string, RFC 8460 §4.3); absent in results saved before mxtls kept them. */
  policy?: { mode: 'enforce' | 'testing' | 'none'; mx: string[]; maxAge: number; lines?: string[] };
  reason?: string;
  fetchError?: 'dns' | 'connect' | 'tls' | 'http-status' | 'content-type' | 'too-large' | 'timeout';
  authenticated?: boolean;
}

/** The domain's `_smtp._tls` TXT record (RFC 8460). */
export interface TlsRptReport {
  status: DeclarationStatus;
  /** Where reports go: mailto: and https: URIs, as published. */
  rua: string[];
  ignored?: string[];
  reason?: string;
}

// ─── Policy ─────────────────────────────────────────────────────────────────────────────

// ─── Reasons: why a recommendation is what it is, as data ───────────────────────────────
// The policy states facts with their parameters (`{ code: 'weakest-host', host, observation,
// ... }`); the words are written only at the edge (src/output/reason-text.ts renders them for the
// table, the detail view, policy-file comments and the report). No module reads another's prose:
// a renderer decides from codes, and a rule that wraps a fact (carry-over, DANE, MTA-STS) nests
// the fact itself, not its sentence.

/** How a probe failed, as far as reasons say (server-supplied text never enters a reason: reasons
 *  end up in policy-file comments). Empty when the probe recorded no failure. */
export interface ProbeFailureFact {
  kind?: ProbeFailureKind;
  stage?: ProbeStage;
  /** Node's or OpenSSL's error code. */
  code?: string;
  /** The reply code to STARTTLS, when TLS was refused by the server rather than failing. */
  starttlsReply?: number;
}

export const DANE_HOST_VERDICTS = ['none', 'matched', 'mismatch', 'unusable', 'failed', 'unobserved'] as const;
/**
 * One MX host's DANE standing, reduced for the policy (src/policy/dane.ts):
 * - none: no TLSA that counts (unsigned, insecure, none published): `dane` is opportunistic here;
 * - matched: every observed address presents a chain its usable TLSA records authenticate;
 * - mismatch: some observed address does not match: DANE senders defer mail to it;
 * - unusable: validated TLSA records, none usable on port 25: `dane` encrypts without authentication;
 * - failed: the TLSA lookup failed: a DANE sender defers; whether TLSA exist is unknown;
 * - unobserved: usable TLSA records, but no address was observed.
 */
export type HostDaneVerdict = (typeof DANE_HOST_VERDICTS)[number];

/** One host's DANE standing as a reason states it. */
export interface DaneHostFact {
  host: string;
  verdict: HostDaneVerdict;
  /** The TLSA parameters of the record that matched (verdict 'matched'). */
  by?: { usage: number; selector: number; matchingType: number };
  /** Why no TLSA counts (verdict 'none'). */
  tlsa?: 'not-applicable' | 'no-tlsa' | 'insecure-tlsa';
  /** The lookup's own detail (verdict 'failed'). */
  detail?: string;
}

export type ObservedKind = Exclude<AddressObservation, 'not-observed'>;

/** A fact that decided, or shaped, the line. */
export type Reason =
  /** POLICY.md rule 0: a bug of ours, never a fault of the domain. */
  | { code: 'internal-error'; address?: string; message: string }
  | { code: 'no-mail'; cause: 'nxdomain' | 'null-mx' | 'no-mail-host' }
  | { code: 'mx-lookup-failed'; status: DnsStatus; detail?: string }
  /** No address could be observed: `failures` lists each failure kind once ('no-answer' for none). */
  | { code: 'none-observed'; addresses: number; failures: (ProbeFailureKind | 'no-answer')[] }
  | { code: 'verified'; verified: number; addresses: number; host?: string; protocol?: string; cipher?: string }
  /** The weakest observed host sets the level (`may` or `encrypt`). */
  | { code: 'weakest-host'; host: string; observation: ObservedKind; level: PolicyLevel; trust?: TrustVerdict; protocol?: string; failure?: ProbeFailureFact }
  | { code: 'unobserved-capped'; hosts: string[]; wouldBe: PolicyLevel }
  | { code: 'unobserved'; hosts: string[] }
  | { code: 'dane-tlsa-failed'; hosts: DaneHostFact[] }
  | { code: 'dane-all-match'; hosts: DaneHostFact[] }
  | { code: 'dane-some-match'; matched: number; hosts: DaneHostFact[] }
  /** What the line would have been without the domain's TLSA records, and why. */
  | { code: 'without-dane'; level: PolicyLevel; because?: Reason }
  | { code: 'mta-sts-also'; id?: string }
  | { code: 'mta-sts-secure'; id?: string; because?: Reason }
  /** Today's scan was inconclusive; the line is the previous run's (`today`: why it was). */
  | { code: 'carried-over'; from: string; today?: Reason }
  | SavedWords;

/** A reason or warning read from a file of schema version 1, which wrote them as words: kept
 *  as they were, since no reader parses prose back into facts. */
export interface SavedWords {
  code: 'saved-words';
  text: string;
}

/** Something a postmaster should look at, whatever the line. */
export type Warning =
  | { code: 'host-no-address'; host: string }
  | { code: 'host-lookup-failed'; host: string }
  | { code: 'tls-fails'; host: string; address: string; failure: ProbeFailureFact }
  | { code: 'legacy-tls-only'; host: string; address: string; protocol?: string }
  | { code: 'address-not-observed'; host: string; address: string; failure: ProbeFailureFact }
  | { code: 'matches-domain-not-mx'; host: string; address: string }
  | { code: 'mixed-strongest-skips'; hosts: { host: string; level: PolicyLevel }[] }
  /** --partial=observed: `level` is the DANE level relying on the observed hosts, else the line. */
  | { code: 'partial-observed'; hosts: string[]; level?: PolicyLevel }
  | { code: 'dane-mismatch'; host: string; address: string; owner: string; records: string[]; failure: AddressDaneFailure }
  | { code: 'mta-sts-invalid'; stage?: string; reason?: string }
  | { code: 'mta-sts-unknown'; reason?: string }
  | { code: 'mta-sts-testing'; id?: string }
  | { code: 'mta-sts-mx-not-in-policy'; id?: string; hosts: string[]; patterns: string[] }
  | { code: 'mta-sts-not-verified'; id?: string; standing: string }
  | { code: 'mta-sts-no-postfix-match'; id?: string; cause: 'pattern' | 'empty' | 'attribute'; pattern?: string }
  | { code: 'mta-sts-match-fails'; id?: string; match: string }
  | { code: 'mta-sts-match-widened'; match: string; wildcards: string[] }
  | SavedWords;

export type ReasonCode = Reason['code'];
export type WarningCode = Warning['code'];

export const POLICY_LEVELS = ['none', 'may', 'encrypt', 'verify', 'secure', 'dane', 'dane-only', 'fingerprint'] as const;
/**
 * Postfix's TLS security levels, weakest first: the one order every comparison uses (the
 * recommender's weakest host, the diff's level-down, the install's downgrade check, the report).
 * `none` is below `may`; `secure` is verify with the match pinned by a policy (MTA-STS) instead
 * of the MX name from DNS, so above verify; DANE above both, `dane-only` above `dane`;
 * `fingerprint` pins the certificates themselves: the strictest.
 */
export type PolicyLevel = (typeof POLICY_LEVELS)[number];

/** A level's place in POLICY_LEVELS (0 for `none`). */
export function levelRank(level: PolicyLevel): number {
  return POLICY_LEVELS.indexOf(level);
}

export interface PolicyOptions {
  /** 'cap' (default): an unobserved MX caps the line at `may`. 'observed': ignore unobserved hosts. */
  partial: 'cap' | 'observed';
  /** 'weakest' (default): the lowest level among MX hosts. 'strongest': the best preferred host's. */
  mixed: 'weakest' | 'strongest';
}

/** What a later run remembers of a domain's line, to carry it over an inconclusive scan. */
export interface PreviousLine {
  level: PolicyLevel;
  attributes: Record<string, string>;
  /** When that line was recommended (ISO 8601). */
  scannedAt: string;
}

/** The recommendation for one domain: a line to write, or the reason there is none. */
export interface PolicyRecommendation {
  domain: string;
  /** undefined when no line should be written (no mail, unknown). */
  level?: PolicyLevel;
  attributes: Record<string, string>;
  /** 'line': write it. 'no-mail': accepts no mail. 'unknown': could not tell; keep old line. */
  kind: 'line' | 'no-mail' | 'unknown';
  /** The fact that decided the line (or that there is none): the table's and the policy
   *  comment's summary. Codes with parameters; src/output/reason-text.ts writes the words. */
  summary: Reason;
  /** Further facts, in order. */
  reasons: Reason[];
  /** Things a postmaster should look at (broken TLS, hosts Postfix would skip...). */
  warnings: Warning[];
  /** Set when today's scan was inconclusive and the line is the previous run's (--previous). */
  carriedOverFrom?: string;
  /** A `secure` line earned by an MTA-STS policy: what Postfix >= 3.10 can be told about it. */
  mtaSts?: MtaStsLinePolicy;
}

/** The MTA-STS policy behind a `secure` line, for Postfix 3.10's TLSRPT attributes. */
export interface MtaStsLinePolicy {
  /** The policy domain (the key's domain). */
  domain: string;
  /** The policy's mx patterns in RFC 8461 form ("*.example.com" kept). */
  mxPatterns: string[];
  /** The policy's lines as published (from the network: checked before they are written). */
  lines?: string[];
}

// ─── Scanning options ───────────────────────────────────────────────────────────────────

export interface Timeouts {
  /** Seconds for each step; each is re-armed before its step. */
  connect: number;
  greeting: number;
  command: number;
  tls: number;
}

export interface TrustStore {
  /** PEM certificates to trust, exactly like Postfix's smtp_tls_CAfile + CApath. */
  ca: string[];
  /** Where they came from, for reports ("--ca-file lab-ca.pem", "system bundle ..."). */
  source: string;
}

/** What probing one address needs to know. */
export interface ProbeOptions {
  port: number;
  /** Name sent in EHLO/HELO. */
  ehloName: string;
  timeouts: Timeouts;
  trust: TrustStore;
  /** Send EHLO again over TLS and record its keywords (ehloTlsKeywords); off by default, it
   *  costs a round trip and no verdict uses it. */
  ehloAfterTls?: boolean;
  /**
   * The run's memo of certificate summaries (tls/summary-cache.ts: providers serve one chain from
   * many addresses); without it every certificate is summarized anew.
   */
  certificates?: { summarize(der: Buffer, sha256?: string): CertificateSummary };
}

/**
 * Defaults in seconds (issue 16; figures in the README's "Pacing"). connect 5: Linux sends a SYN
 * at 0, 1 and 3 s (the next at 7 s), so 5 s gives three tries; an address that never answers
 * then holds a slot 5 s, not 10. greeting 15: 2.5 times postscreen's greet wait (6 s by default,
 * postscreen_greet_wait) and above the 5-10 s of Sendmail's greet_pause or an Exim connect
 * delay; tarpits, which hold until this timeout, took a third of all probe time at 20 s, and
 * 15 s made probes 20% shorter on average in `npm run bench:rtt`.
 */
export const DEFAULT_TIMEOUTS: Timeouts = { connect: 5, greeting: 15, command: 15, tls: 15 };

// ─── The compact saved form (schema 3, issue 16 item 3) ────────────────────────────────────
// `--format ndjson` writes by default one compact line per domain: the result with each probe
// reduced to what the policy and the diff read (ProbeSummary), self-contained for them, and its
// DNS answers sparse; the rest of each probe (EHLO keywords, greeting, the chain as certificate
// keys; the transcript only when the probe failed) and each certificate's DER are record lines,
// written once per file the first time they are needed, before the line that refers to them.
// Record keys are content addresses (a SHA-256), so a key names the same bytes in every shard
// and every night. `--detail full` writes whole DomainResults inline instead.
// Schema 2 (schema/result.schema.v2.json) was the same but for its records, which held the whole
// probe with its transcript, and its DNS answers, which were whole.

/**
 * A DNS answer in a compact line: what most answers hold is left out (no records, no CNAMEs,
 * not authenticated), about 60 bytes of each of a domain's three or more answers.
 */
export interface SparseDnsAnswer<T> extends Omit<DnsAnswer<T>, 'records' | 'cnames' | 'authenticated'> {
  /** Absent when there are none. */
  records?: T[];
  /** Absent when none was followed. */
  cnames?: string[];
  /** Present (true) only when the resolver set the AD bit. */
  authenticated?: true;
}

/** A domain's MX resolution in a compact line, its answers sparse. */
export type CompactMxResolution = MxResolution<SparseDnsAnswer<MxRecord>, SparseDnsAnswer<string>>;

/** The leaf certificate's facts the policy and the diff read; the rest is its certificate record. */
export interface LeafFacts {
  /** SHA-256 of the DER, lower-case hex: also the key of its certificate record. @pattern ^[0-9a-f]{64}$ */
  sha256Fingerprint: string;
  spkiSha256: string;
  notAfter: string; // ISO 8601
}

/** The TLS facts of a probe, in a compact line. */
export interface TlsSummary {
  protocol: string;
  cipher: string;
  keyExchange?: KeyExchange;
  trust: TrustResult;
  legacyOnly: boolean;
  leaf?: LeafFacts;
}

/** One probe in a compact line: what the policy, the diff and the report read. */
export interface ProbeSummary {
  /** The probe record holding the rest of the probe: SHA-256 of its `probe` as written. @pattern ^[0-9a-f]{64}$ */
  key: string;
  address: string;
  family: 4 | 6;
  port: number;
  stage: ProbeStage;
  failure?: ProbeFailure;
  starttlsOffered: boolean;
  starttlsReply?: SmtpReply;
  tls?: TlsSummary;
}

export interface CompactAddressResult extends Omit<AddressResult, 'probe'> {
  probe: ProbeSummary;
}

export interface CompactHostResult extends Omit<HostResult, 'addresses'> {
  addresses: CompactAddressResult[];
}

/** A DomainResult as a compact line holds it: probes as summaries, DNS answers sparse. */
export interface CompactDomainResult extends Omit<DomainResult, 'hosts' | 'mx'> {
  mx: CompactMxResolution;
  hosts: CompactHostResult[];
}

/**
 * A probe as its record holds it: what its summary (ProbeSummary, in every line that names it)
 * does not, so nothing is written twice. The transcript only for a probe that failed, where a
 * postmaster reads it; a successful session's transcript says nothing the fields do not (and
 * was half of a one-MX domain's bytes). `--detail full` keeps every transcript.
 */
export interface RecordedProbe extends Pick<AddressProbe, 'hostname' | 'greeting' | 'heloFallback' | 'ehloKeywords' | 'ehloTlsKeywords' | 'startedAt' | 'durationMs' | 'earlierAttempts'> {
  tls?: RecordedTls;
  transcript?: TranscriptLine[];
}

/** A probe's TLS facts its summary lacks: the chain as the keys of its certificate records, leaf first. */
export interface RecordedTls extends Pick<TlsDetails, 'cipherOpenssl' | 'storeIssuers'> {
  chain: string[];
}

/** The rest of a probe, written once per file, before the first line that names it. */
export interface ProbeRecord {
  schema: number;
  record: 'probe';
  /** SHA-256 (hex) of `probe` as written (JSON). @pattern ^[0-9a-f]{64}$ */
  key: string;
  probe: RecordedProbe;
}

/** One certificate, summary and DER, written once per file before the first probe record that names it. */
export interface CertificateRecord {
  schema: number;
  record: 'certificate';
  /** SHA-256 (hex) of `certificate` as written (JSON): one DER's summary may differ between mxtls
   *  versions, so the fingerprint alone would not name one record. @pattern ^[0-9a-f]{64}$ */
  key: string;
  certificate: CertificateSummary;
}

export type SavedRecord = ProbeRecord | CertificateRecord;

