// One line of a previous NDJSON run ({...DomainResult, policy}) back into typed data. The file
// may be old, truncated or edited by hand, so every field the snapshot reads is checked and
// copied; nothing else is kept. Enumerated words are replaced by our own constants, so a
// million parsed lines share one "verified" instead of holding a million copies.

import {
  SCHEMA_VERSION,
  type AddressObservation,
  type DomainStatus,
  type PolicyLevel,
  type ProbeFailureKind,
  type TrustVerdict,
} from '../types.js';
import type { PolicyKind } from './change.js';
import type { SnapshotPolicy, SnapshotSource } from './snapshot.js';

export type ParsedLine =
  | { ok: true; source: SnapshotSource; policy: SnapshotPolicy }
  /** `schema` is set when the line is a result of another schema version. */
  | { ok: false; error: string; schema?: number };

/** A Record, so that a word added to a union in types.ts must be added here too. */
function vocabulary<T extends string>(words: Record<T, true>): (value: unknown) => T | undefined {
  const canonical = new Map<unknown, T>(Object.keys(words).map((w) => [w, w as T]));
  return (value) => canonical.get(value);
}

const statusWord = vocabulary<DomainStatus>({ scanned: true, 'no-mail': true, 'dns-error': true, 'internal-error': true });
const kindWord = vocabulary<PolicyKind>({ line: true, 'no-mail': true, unknown: true });
const levelWord = vocabulary<PolicyLevel>({
  none: true, may: true, encrypt: true, dane: true, 'dane-only': true, fingerprint: true, verify: true, secure: true,
});
const observationWord = vocabulary<AddressObservation>({
  'not-observed': true, 'no-starttls': true, 'tls-failed': true, 'legacy-tls': true, untrusted: true, 'name-mismatch': true, verified: true,
});
const failureWord = vocabulary<ProbeFailureKind>({
  'connect-refused': true, 'connect-timeout': true, 'network-unreachable': true, 'greeting-timeout': true,
  'command-timeout': true, 'tls-timeout': true, 'connection-closed': true, 'connection-reset': true,
  'greeting-rejected': true, 'ehlo-rejected': true, 'starttls-rejected': true, 'protocol-error': true,
  'reply-too-long': true, 'tls-handshake-failed': true, 'io-error': true, 'internal-error': true,
});
const verdictWord = vocabulary<TrustVerdict>({
  trusted: true, 'self-signed': true, expired: true, 'not-yet-valid': true, 'unknown-issuer': true,
  'incomplete-chain': true, 'bad-signature': true, other: true,
});

class Invalid extends Error {}

type Obj = Record<string, unknown>;

function object(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Invalid(`${path}: not an object`);
  return value as Obj;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Invalid(`${path}: not an array`);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new Invalid(`${path}: not a string`);
  return value;
}

function word<T>(read: (value: unknown) => T | undefined, value: unknown, path: string): T {
  const w = read(value);
  if (w !== undefined) return w;
  throw new Invalid(value === undefined ? `${path}: missing` : `${path}: unknown value ${JSON.stringify(value).slice(0, 40)}`);
}

type AddressSource = SnapshotSource['hosts'][number]['addresses'][number];

function tlsOf(value: unknown, path: string): NonNullable<AddressSource['probe']['tls']> {
  const tls = object(value, path);
  const verdict = word(verdictWord, object(tls.trust, `${path}.trust`).verdict, `${path}.trust.verdict`);
  const chain = array(tls.chain, `${path}.chain`);
  if (chain.length === 0) return { trust: { verdict }, chain: [] };
  const leaf = object(chain[0], `${path}.chain[0]`);
  const sha256Fingerprint = string(leaf.sha256Fingerprint, `${path}.chain[0].sha256Fingerprint`);
  if (!/^[0-9a-f]{64}$/.test(sha256Fingerprint)) throw new Invalid(`${path}.chain[0].sha256Fingerprint: not 64 hex digits`);
  return { trust: { verdict }, chain: [{ sha256Fingerprint, notAfter: string(leaf.notAfter, `${path}.chain[0].notAfter`) }] };
}

function addressOf(value: unknown, path: string): AddressSource {
  const a = object(value, path);
  const probe = object(a.probe, `${path}.probe`);
  return {
    observation: word(observationWord, a.observation, `${path}.observation`),
    probe: {
      address: string(probe.address, `${path}.probe.address`),
      ...(probe.failure === undefined
        ? {}
        : { failure: { kind: word(failureWord, object(probe.failure, `${path}.probe.failure`).kind, `${path}.probe.failure.kind`) } }),
      ...(probe.tls === undefined ? {} : { tls: tlsOf(probe.tls, `${path}.probe.tls`) }),
    },
  };
}

function hostOf(value: unknown, path: string): SnapshotSource['hosts'][number] {
  const h = object(value, path);
  return {
    name: string(h.name, `${path}.name`),
    addresses: array(h.addresses, `${path}.addresses`).map((a, i) => addressOf(a, `${path}.addresses[${i}]`)),
  };
}

function policyOf(value: unknown): SnapshotPolicy {
  const p = object(value, 'policy');
  const kind = word(kindWord, p.kind, 'policy.kind');
  const carried = p.carriedOverFrom === undefined ? {} : { carriedOverFrom: string(p.carriedOverFrom, 'policy.carriedOverFrom') };
  // A line needs its level; without one the line could not be compared.
  if (kind !== 'line' && p.level === undefined) return { kind, ...carried };
  return { kind, level: word(levelWord, p.level, 'policy.level'), ...carried, ...attributesOf(p.attributes) };
}

/** A line's attributes (match=...), kept so --previous can write the line again. */
function attributesOf(value: unknown): { attributes?: Record<string, string> } {
  if (value === undefined) return {};
  const entries = Object.entries(object(value, 'policy.attributes'));
  if (entries.length === 0) return {};
  return { attributes: Object.fromEntries(entries.map(([name, v]) => [name, string(v, `policy.attributes.${name}`)])) };
}

function sourceOf(r: Obj): SnapshotSource {
  const domain = string(r.domain, 'domain');
  if (domain === '') throw new Invalid('domain: empty');
  const startedAt = string(r.startedAt, 'startedAt');
  if (Number.isNaN(Date.parse(startedAt))) throw new Invalid('startedAt: not a date');
  return {
    domain,
    status: word(statusWord, r.status, 'status'),
    startedAt,
    hosts: array(r.hosts, 'hosts').map((h, i) => hostOf(h, `hosts[${i}]`)),
  };
}

export function parseReportLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  try {
    const r = object(value, 'line');
    if (typeof r.schema !== 'number') throw new Invalid('schema: not a number');
    if (r.schema !== SCHEMA_VERSION) return { ok: false, error: `schema ${r.schema}`, schema: r.schema };
    return { ok: true, source: sourceOf(r), policy: policyOf(r.policy) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }
}
