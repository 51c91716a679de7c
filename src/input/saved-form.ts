// The compact saved form (schema 3, issue 16 item 3), both ways: a result becomes record lines
// and one compact line (CompactWriter), and a compact line with the records before it becomes
// the result again (RecordStore). A whole line of a domain with one MX address is ~5-7 KB,
// mostly its transcript and each certificate's DER, repeated in every domain line that shares the
// MX; in the compact form the line holds per probe what the policy and the diff read
// (ProbeSummary, LeafFacts in types.ts), its DNS answers sparse, and the rest of each probe and
// each certificate (summary and DER) is written once per file as a record (RecordedProbe: the
// transcript only for a probe that failed).
//
// Keys are content addresses: a record's key is the SHA-256 of its `probe` or `certificate` as
// written. So a key names the same bytes in every file: shards joined by `mxtls merge`, or last night's file and tonight's, cannot disagree
// about it, and a joined file only has to keep the first record of each key.

import { hash } from 'node:crypto';
import type {
  AddressProbe,
  AddressResult,
  CertificateSummary,
  CompactAddressResult,
  CompactDomainResult,
  CompactMxResolution,
  DnsAnswer,
  DomainResult,
  HostResult,
  MxResolution,
  ProbeSummary,
  RecordedProbe,
  SavedRecord,
  SparseDnsAnswer,
  TlsDetails,
} from '../types.js';

/** One-shot: a Hash object per record measured as ~1% of a bulk scan's CPU (util/hash-set.ts). */
const sha256 = (text: string): string => hash('sha256', text, 'hex');

/** A certificate's record key: the SHA-256 of its summary as written. Not its fingerprint: the
 *  summary of one DER differs between mxtls versions (fields added since) and in hand-built results. */
function certificateBody(cert: CertificateSummary, json: (value: unknown) => string): { key: string; body: string } {
  const body = json(cert);
  return { key: sha256(body), body };
}

function summarize(probe: AddressProbe, key: string): ProbeSummary {
  const tls = probe.tls;
  const leaf = tls?.chain[0];
  return {
    key,
    address: probe.address,
    family: probe.family,
    port: probe.port,
    stage: probe.stage,
    ...(probe.failure ? { failure: probe.failure } : {}),
    starttlsOffered: probe.starttlsOffered,
    ...(probe.starttlsReply ? { starttlsReply: probe.starttlsReply } : {}),
    ...(tls
      ? {
          tls: {
            protocol: tls.protocol,
            cipher: tls.cipher,
            ...(tls.keyExchange ? { keyExchange: tls.keyExchange } : {}),
            trust: tls.trust,
            legacyOnly: tls.legacyOnly,
            ...(leaf ? { leaf: { sha256Fingerprint: leaf.sha256Fingerprint, spkiSha256: leaf.spkiSha256, notAfter: leaf.notAfter } } : {}),
          },
        }
      : {}),
  };
}

/** A DNS answer as a compact line writes it: without the fields at their usual value. */
function sparse<T>({ records, cnames, authenticated, ...rest }: DnsAnswer<T>): SparseDnsAnswer<T> {
  return { ...rest, ...(records.length > 0 ? { records } : {}), ...(cnames.length > 0 ? { cnames } : {}), ...(authenticated ? { authenticated } : {}) };
}

/** A sparse answer whole again; a whole one (schema 2) is whole already. */
function whole<T>({ records, cnames, authenticated, ...rest }: SparseDnsAnswer<T> | DnsAnswer<T>): DnsAnswer<T> {
  return { ...rest, records: records ?? [], cnames: cnames ?? [], authenticated: authenticated ?? false };
}

function sparseMx(mx: MxResolution): CompactMxResolution {
  if (mx.status !== 'ok') return { ...mx, mx: sparse(mx.mx) };
  return { ...mx, mx: sparse(mx.mx), hosts: mx.hosts.map((h) => ({ ...h, a: sparse(h.a), aaaa: sparse(h.aaaa) })) };
}

function wholeMx(mx: CompactMxResolution | MxResolution): MxResolution {
  if (mx.status !== 'ok') return { ...mx, mx: whole(mx.mx) };
  return { ...mx, mx: whole(mx.mx), hosts: mx.hosts.map((h) => ({ ...h, a: whole(h.a), aaaa: whole(h.aaaa) })) };
}

/**
 * What a probe's record holds: the fields its summary lacks, named one by one so that equal
 * probes give equal bytes (and one key) whatever order their objects were built in.
 */
function recorded(probe: AddressProbe, chain: string[]): RecordedProbe {
  const tls = probe.tls;
  return {
    hostname: probe.hostname,
    ...(probe.greeting ? { greeting: probe.greeting } : {}),
    heloFallback: probe.heloFallback,
    ehloKeywords: probe.ehloKeywords,
    ...(probe.ehloTlsKeywords ? { ehloTlsKeywords: probe.ehloTlsKeywords } : {}),
    ...(tls ? { tls: { cipherOpenssl: tls.cipherOpenssl, chain, ...(tls.storeIssuers === undefined ? {} : { storeIssuers: tls.storeIssuers }) } } : {}),
    ...(probe.failure ? { transcript: probe.transcript } : {}),
    startedAt: probe.startedAt,
    durationMs: probe.durationMs,
    ...(probe.earlierAttempts ? { earlierAttempts: probe.earlierAttempts } : {}),
  };
}

/** What a probe object becomes, kept for as long as the object lives (the probe pool keeps one
 *  per address for the run): its key and summary. Its record lines are made once and written at
 *  once, then dropped, so a run over 10,000 distinct addresses does not hold their text. */
interface ProbeForm {
  key: string;
  summary: ProbeSummary;
}

/**
 * Writes one file's compact lines: each result's records not yet written, then its line. Holds
 * the keys written so far (distinct probes and certificates, ~100 bytes each: 150k MX addresses
 * hold ~15 MB) and, per probe object, its form, since the probe pool hands one object to every
 * domain that shares the address: it is serialised and hashed once, not once per domain.
 */
export class CompactWriter {
  private readonly written = new Set<string>();
  private readonly forms = new WeakMap<AddressProbe, ProbeForm>();
  /** Per certificate summary object (tls/summary-cache.ts hands out one per DER): its
   *  key, so a certificate shared by many probes is serialised and hashed once, not per probe. */
  private readonly certificateKeys = new WeakMap<CertificateSummary, string>();

  constructor(
    private readonly schema: number,
    /** JSON text of a value on one line (output/json.ts's toJsonText: no raw line separators). */
    private readonly json: (value: unknown) => string,
  ) {}

  /** The record lines this result still needs, then its compact line (each ending in '\n'). */
  lines(result: DomainResult, policy: unknown): string {
    let out = '';
    const hosts = result.hosts.map((host) => ({
      ...host,
      addresses: host.addresses.map(({ probe, ...rest }): CompactAddressResult => {
        let form = this.forms.get(probe);
        if (!form) {
          const made = this.records(probe);
          out += made.lines;
          form = { key: made.key, summary: summarize(probe, made.key) };
          this.forms.set(probe, form);
        }
        return { probe: form.summary, ...rest };
      }),
    }));
    const line: CompactDomainResult & { policy: unknown } = { ...result, mx: sparseMx(result.mx), hosts, policy };
    return `${out}${this.json(line)}\n`;
  }

  /** A probe's key, and the record lines (its certificates', then its own) this file lacks. */
  private records(probe: AddressProbe): { key: string; lines: string } {
    let lines = '';
    const chain = (probe.tls?.chain ?? []).map((cert) => {
      const known = this.certificateKeys.get(cert);
      if (known !== undefined) return known;
      const { key, body } = certificateBody(cert, this.json);
      if (!this.written.has(key)) {
        lines += `{"schema":${this.schema},"record":"certificate","key":"${key}","certificate":${body}}\n`;
        this.written.add(key);
      }
      this.certificateKeys.set(cert, key);
      return key;
    });
    const body = this.json(recorded(probe, chain));
    const key = sha256(body);
    // Spliced rather than serialised again: each key is the hash of exactly the bytes written.
    // An equal probe from another object (a resumed run's, read back) is written once too.
    if (!this.written.has(key)) {
      lines += `{"schema":${this.schema},"record":"probe","key":"${key}","probe":${body}}\n`;
      this.written.add(key);
    }
    return { key, lines };
  }
}

/** A host of a saved line: its probes whole (`--detail full`, schema 1) or as summaries. */
type AnyHost = Omit<HostResult, 'addresses'> & { addresses: Array<Omit<AddressResult, 'probe'> & { probe: ProbeSummary | AddressProbe }> };

/** A saved domain line: whole, or compact (its answers sparse since schema 3). */
interface AnyLine {
  mx: MxResolution | CompactMxResolution;
  hosts: AnyHost[];
}

/** A saved line that is a record rather than a domain result. */
export function isRecord(value: object): value is SavedRecord {
  return 'record' in value;
}

/**
 * The records read so far from one file, to turn its compact lines back into whole results.
 * Kept as JSON text, parsed when a line needs them: each line gets objects of its own.
 */
export class RecordStore {
  private readonly probes = new Map<string, string>();
  private readonly certificates = new Map<string, string>();

  add(record: SavedRecord): void {
    if (record.record === 'certificate') this.certificates.set(record.key, JSON.stringify(record.certificate));
    else this.probes.set(record.key, JSON.stringify(record.probe));
  }

  /** The whole result of a compact line, or why not (a probe record it names is not before it). */
  expand<T extends AnyLine>(line: T): (Omit<T, 'hosts' | 'mx'> & { mx: MxResolution; hosts: HostResult[] }) | string {
    const hosts: HostResult[] = [];
    for (const host of line.hosts) {
      const addresses: AddressResult[] = [];
      for (const { probe: summary, ...rest } of host.addresses) {
        const probe = this.probe(summary);
        if (typeof probe === 'string') return probe;
        addresses.push({ probe, ...rest });
      }
      hosts.push({ ...host, addresses });
    }
    return { ...line, mx: wholeMx(line.mx), hosts };
  }

  private probe(summary: ProbeSummary | AddressProbe): AddressProbe | string {
    // A line may hold whole probes (`--detail full`): they are already complete.
    if (!('key' in summary)) return summary;
    const text = this.probes.get(summary.key);
    if (text === undefined) return `no probe record ${summary.key} before this line`;
    // A schema 2 record is the whole probe: the fields taken from it below are there too.
    const rest = JSON.parse(text) as RecordedProbe;
    let tls: TlsDetails | undefined;
    if (summary.tls) {
      if (!rest.tls) return `probe record ${summary.key} has no TLS facts for its line's TLS session`;
      const chain: CertificateSummary[] = [];
      for (const key of rest.tls.chain) {
        const certificate = this.certificates.get(key);
        if (certificate === undefined) return `no certificate record ${key} before this line`;
        chain.push(JSON.parse(certificate) as CertificateSummary);
      }
      const { protocol, cipher, keyExchange, trust, legacyOnly } = summary.tls;
      const { cipherOpenssl, storeIssuers } = rest.tls;
      tls = { protocol, cipher, cipherOpenssl, ...(keyExchange ? { keyExchange } : {}), chain, ...(storeIssuers === undefined ? {} : { storeIssuers }), trust, legacyOnly };
    }
    // AddressProbe's fields in its order (types.ts).
    return {
      address: summary.address,
      family: summary.family,
      port: summary.port,
      hostname: rest.hostname,
      stage: summary.stage,
      ...(summary.failure ? { failure: summary.failure } : {}),
      ...(rest.greeting ? { greeting: rest.greeting } : {}),
      heloFallback: rest.heloFallback,
      ehloKeywords: rest.ehloKeywords,
      starttlsOffered: summary.starttlsOffered,
      ...(summary.starttlsReply ? { starttlsReply: summary.starttlsReply } : {}),
      ...(tls ? { tls } : {}),
      ...(rest.ehloTlsKeywords ? { ehloTlsKeywords: rest.ehloTlsKeywords } : {}),
      transcript: rest.transcript ?? [],
      startedAt: rest.startedAt,
      durationMs: rest.durationMs,
      ...(rest.earlierAttempts ? { earlierAttempts: rest.earlierAttempts } : {}),
    };
  }
}
