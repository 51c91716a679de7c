// Typed lookups over the transport: RCODE → DnsStatus, CNAME chains, the AD bit.
import { Packet } from 'dns2';
import { tlsaFromRdata, TLSA_RR_TYPE } from '../dane/tlsa-record.js';
import type { DnsAnswer, DnsStatus, MxRecord, Resolver, ResolverAddress, TlsaRecord } from '../types.js';
import { normaliseName } from '../name/dns-name.js';
import { query, type QueryOptions, type QueryResult } from './transport.js';
import { UdpPool } from './udp-pool.js';

export interface ResolverOptions {
  resolvers: ResolverAddress[];
  timeoutMs: number;
}

/** What each lookup needs: the resolver's options and its own UDP sockets. */
export type LookupOptions = Pick<QueryOptions, 'resolvers' | 'timeoutMs' | 'pool'>;

/** More than this many CNAMEs is treated as a misconfiguration rather than followed. */
const MAX_CNAMES = 8;

type DecodedRecord = Packet['answers'][number];

/** Turns one answer record of the asked type into a result value. */
export type RecordExtractor<T> = (record: DecodedRecord) => T | undefined;

function statusOf(rcode: number, hasRecords: boolean): DnsStatus {
  switch (rcode) {
    case 0:
      return hasRecords ? 'ok' : 'nodata';
    case 2:
      return 'servfail';
    case 3:
      return 'nxdomain';
    case 5:
      return 'refused';
    default:
      return 'error';
  }
}

const BOGUS_DETAIL = 'DNSSEC validation failed: the resolver answers only with checking disabled';

/**
 * A validating resolver answers SERVFAIL both when the zone's servers fail and when the answer
 * fails validation. Asking again with CD=1 tells them apart (as `dig +cd` does): only a
 * validation failure gets an answer then. Costs one extra query, and only on SERVFAIL.
 */
async function answersWithoutValidation(name: string, type: number, opts: LookupOptions): Promise<boolean> {
  const reply = await query(name, type, { ...opts, checkingDisabled: true, attempts: 1 });
  return reply.status === 'ok' && (reply.rcode === 0 || reply.rcode === 3);
}

/**
 * Ask `type` for `name`, following CNAMEs: first through the answer section, then by asking
 * again for the chain's last target when the resolver stopped there.
 */
export async function lookup<T>(
  name: string,
  type: number,
  extract: RecordExtractor<T>,
  opts: LookupOptions,
): Promise<DnsAnswer<T>> {
  const cnames: string[] = [];
  const seen = new Set<string>();
  let current = normaliseName(name);
  // Every reply of the chain must be validated for the answer to count as validated.
  let authenticated = true;
  for (;;) {
    seen.add(current);
    const reply: QueryResult = await query(current, type, opts);
    const base = { cnames, resolver: reply.resolver };
    if (reply.status !== 'ok' || reply.packet === undefined || reply.rcode === undefined) {
      const status = reply.status === 'ok' ? 'error' : reply.status;
      return { ...base, status, records: [], authenticated: false, detail: reply.detail };
    }
    authenticated &&= reply.ad;
    const answers = reply.packet.answers;
    const asked = current;
    // Resolvers put the chain in order, but nothing obliges them to: look each link up by owner.
    for (;;) {
      const link = answers.find((rr) => rr.type === Packet.TYPE.CNAME && normaliseName(rr.name) === current);
      if (link === undefined) break;
      const target = normaliseName(link.domain ?? '');
      if (seen.has(target) || cnames.length >= MAX_CNAMES) {
        const why = seen.has(target) ? `CNAME loop at ${target}` : `more than ${MAX_CNAMES} CNAMEs`;
        return { ...base, status: 'error', records: [], authenticated: false, detail: why };
      }
      cnames.push(target);
      seen.add(target);
      current = target;
    }
    const records = answers
      .filter((rr) => rr.type === type && normaliseName(rr.name) === current)
      .map(extract)
      .filter((value): value is T => value !== undefined);
    // A recursive resolver normally follows the chain itself; ask again only when it did not.
    if (records.length === 0 && reply.rcode === 0 && current !== asked) continue;
    if (reply.rcode === 2 && (await answersWithoutValidation(current, type, opts))) {
      return { ...base, status: 'bogus', records: [], authenticated: false, detail: BOGUS_DETAIL };
    }
    const status = statusOf(reply.rcode, records.length > 0);
    return { ...base, status, records: status === 'ok' ? records : [], authenticated };
  }
}

const address: RecordExtractor<string> = (rr) => rr.address;

const mxRecord: RecordExtractor<MxRecord> = (rr) =>
  rr.priority === undefined ? undefined : { preference: rr.priority, exchange: normaliseName(rr.exchange ?? '') };

/** Each TXT record as its list of character-strings, unjoined (MTA-STS joins, TLS-RPT too). */
export const txtStrings: RecordExtractor<string[]> = (rr) => {
  const data: unknown = rr.data;
  if (Array.isArray(data)) return data.filter((s): s is string => typeof s === 'string');
  return typeof data === 'string' ? [data] : undefined;
};

/** TLSA RDATA arrives undecoded (dns2 has no TLSA codec): a Buffer in `data`. */
const tlsaRecord: RecordExtractor<TlsaRecord> = (rr) => {
  const data: unknown = rr.data;
  return Buffer.isBuffer(data) ? tlsaFromRdata(data) : undefined;
};

export function lookupTxt(name: string, opts: LookupOptions): Promise<DnsAnswer<string[]>> {
  return lookup(name, Packet.TYPE.TXT, txtStrings, opts);
}

/**
 * The resolver the scanner uses in production: our transport to the configured servers, with
 * UDP sockets of its own; close() ends them (a run closes its resolver when it is done).
 */
export function createResolver(options: ResolverOptions): Resolver & { close(): void } {
  const opts: LookupOptions = { ...options, pool: new UdpPool() };
  return {
    close: () => opts.pool.close(),
    mx: (name) => lookup(name, Packet.TYPE.MX, mxRecord, opts),
    a: (name) => lookup(name, Packet.TYPE.A, address, opts),
    aaaa: (name) => lookup(name, Packet.TYPE.AAAA, address, opts),
    txt: (name) => lookupTxt(name, opts),
    tlsa: (name) => lookup(name, TLSA_RR_TYPE, tlsaRecord, opts),
  };
}
