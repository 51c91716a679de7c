// Key exchange words for the detailed view (per address) and the summary table (per domain).
// Results may come from a file, so every name is sanitised and the family is derived again
// from the vocabulary rather than trusted from the file.
import { keyExchangeFamily, type KeyExchangeFamily, UNNAMED } from '../key-exchange.js';
import type { AddressResult, KeyExchange } from '../types.js';
import { sanitizeText } from './sanitize.js';

const FAMILY_WORD: Record<KeyExchangeFamily, string> = {
  'pq-hybrid': 'post-quantum (ML-KEM hybrid)',
  'ml-kem': 'post-quantum (ML-KEM alone)',
  ecdh: 'classic ECDH',
  ffdhe: 'classic finite-field DH',
  other: 'not known to mxtls',
};

/** One address: "X25519MLKEM768 — post-quantum (ML-KEM hybrid)", "X25519 — classic ECDH, 253 bits". */
export function keyExchangeText(kx: KeyExchange): string {
  if (kx.type === UNNAMED) return 'not named by this Node (Node 22 cannot name the ML-KEM groups; Node 24 can)';
  const family = keyExchangeFamily(kx);
  // TLS 1.2 DHE has no named group: the server sent its own parameters.
  const name = kx.group ?? kx.name ?? (family === 'ffdhe' ? "server's own DH group" : kx.type);
  const size = kx.size === undefined ? '' : `, ${kx.size} bits`;
  return `${sanitizeText(name, 40)} — ${FAMILY_WORD[family]}${size}`;
}

/**
 * The summary table's mark for a domain: "PQ" when every address that did TLS negotiated a
 * post-quantum group, "PQ 1/2" when only some did, nothing when none did.
 */
export function postQuantumMark(addresses: readonly AddressResult[]): string {
  const exchanges = addresses.flatMap((a) => (a.probe.tls?.keyExchange ? [a.probe.tls.keyExchange] : []));
  const pq = exchanges.filter((kx) => {
    const family = keyExchangeFamily(kx);
    return family === 'pq-hybrid' || family === 'ml-kem';
  }).length;
  if (pq === 0) return '';
  return pq === exchanges.length ? 'PQ' : `PQ ${pq}/${exchanges.length}`;
}
