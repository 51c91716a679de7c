// The key exchange vocabulary, declared once: the families a TLS key exchange belongs to and the
// post-quantum groups by the names OpenSSL gives them. Imports nothing, like types.ts, so the
// renderers and the handshake code share it without pulling in each other.

/**
 * - `pq-hybrid`: ML-KEM combined with a classic curve (draft-ietf-tls-ecdhe-mlkem); safe if
 *   either half holds.
 * - `ml-kem`: ML-KEM alone (FIPS 203; draft-connolly-tls-mlkem-key-agreement).
 * - `ecdh`: elliptic-curve Diffie-Hellman (X25519, X448, NIST and Brainpool curves).
 * - `ffdhe`: finite-field Diffie-Hellman, an RFC 7919 group in TLS 1.3, the server's own
 *   parameters in TLS 1.2 (then no group name).
 * - `other`: a group this vocabulary does not know (a newer OpenSSL's); never called post-quantum.
 */
export const KEY_EXCHANGE_FAMILIES = ['pq-hybrid', 'ml-kem', 'ecdh', 'ffdhe', 'other'] as const;
export type KeyExchangeFamily = (typeof KEY_EXCHANGE_FAMILIES)[number];

/**
 * The post-quantum groups OpenSSL 3.5 implements, under its names (IANA TLS Supported Groups
 * 0x11EC, 0x11EB, 0x11ED, 0x0200-0x0202). Node 24 reports them as `{ type: 'TLSGroup', name }`
 * with no size: the name is the whole parameter set.
 */
export const POST_QUANTUM_GROUPS = {
  X25519MLKEM768: 'pq-hybrid',
  SecP256r1MLKEM768: 'pq-hybrid',
  SecP384r1MLKEM1024: 'pq-hybrid',
  MLKEM512: 'ml-kem',
  MLKEM768: 'ml-kem',
  MLKEM1024: 'ml-kem',
} as const satisfies Record<string, KeyExchangeFamily>;
export type PostQuantumGroup = keyof typeof POST_QUANTUM_GROUPS;

export function isPostQuantumGroup(group: string | undefined): group is PostQuantumGroup {
  return group !== undefined && Object.hasOwn(POST_QUANTUM_GROUPS, group);
}

/**
 * Our `type` for a TLS 1.3 key exchange Node did not describe: Node 22 has OpenSSL 3.5 and
 * negotiates the ML-KEM groups, but getEphemeralKeyInfo() returns {} for them.
 */
export const UNNAMED = 'unnamed';

/**
 * The family of a recorded key exchange: by its group when that is post-quantum, else by Node's
 * `type` ('ECDH', 'DH'). Reads `name` when there is no `group`, as in results written before
 * `group` existed.
 */
export function keyExchangeFamily(kx: { type: string; name?: string; group?: string }): KeyExchangeFamily {
  const group = kx.group ?? kx.name;
  if (isPostQuantumGroup(group)) return POST_QUANTUM_GROUPS[group];
  if (kx.type === 'ECDH') return 'ecdh';
  if (kx.type === 'DH') return 'ffdhe';
  return 'other';
}
