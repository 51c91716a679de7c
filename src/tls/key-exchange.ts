// Node's getEphemeralKeyInfo() as our KeyExchange (pure): Node's fields kept as reported, plus
// the group under OpenSSL's name and whether it is post-quantum.
import { isPostQuantumGroup, UNNAMED } from '../key-exchange.js';
import type { KeyExchange } from '../types.js';

/** The shape Node returns; typed loosely in @types/node 20, which predates 'TLSGroup'. */
export interface EphemeralKeyInfo {
  type?: unknown;
  name?: unknown;
  size?: unknown;
}

/**
 * `protocol` is the negotiated version: TLS 1.3 allows only named finite-field groups
 * (RFC 8446 §4.2.7, the RFC 7919 ffdhe groups), so a DH exchange there is `ffdhe<size>`, which
 * Node reports only as `{ type: 'DH', size }`. In TLS 1.2 the server chooses its own DH
 * parameters and there is no group to name.
 */
export function keyExchangeFromNode(info: EphemeralKeyInfo | null | undefined, protocol: string | null): KeyExchange | undefined {
  // Every TLS 1.3 handshake has a key exchange. Node 22 has OpenSSL 3.5, which negotiates the
  // ML-KEM groups, but reports them as {} (only Node 24 says 'TLSGroup'): say that it is unnamed
  // rather than nothing, and leave postQuantum out, since we cannot tell.
  if (protocol === 'TLSv1.3' && info && typeof info.type !== 'string') return { type: UNNAMED };
  if (!info || typeof info.type !== 'string') return undefined;
  const kx: KeyExchange = { type: info.type };
  if (typeof info.name === 'string') kx.name = info.name;
  if (typeof info.size === 'number') kx.size = info.size;
  const group = kx.name ?? (kx.type === 'DH' && protocol === 'TLSv1.3' && kx.size !== undefined ? `ffdhe${kx.size}` : undefined);
  if (group !== undefined) kx.group = group;
  kx.postQuantum = isPostQuantumGroup(group);
  return kx;
}
