import { describe, expect, it } from 'vitest';
import { keyExchangeFamily, POST_QUANTUM_GROUPS } from '../../src/key-exchange.js';
import { keyExchangeText, postQuantumMark } from '../../src/output/key-exchange.js';
import { keyExchangeFromNode } from '../../src/tls/key-exchange.js';
import { address, probe, tls } from '../helpers/output-fixtures.js';

// What getEphemeralKeyInfo() returned in the lab on Node 20.20 (OpenSSL 3.0) and 24.22 / 26.12
// (OpenSSL 3.5), for a server limited to one group each.
describe('keyExchangeFromNode', () => {
  it.each([
    ['X25519MLKEM768 (Node 24+)', { type: 'TLSGroup', name: 'X25519MLKEM768' }, 'TLSv1.3', { group: 'X25519MLKEM768', postQuantum: true }, 'pq-hybrid'],
    ['SecP256r1MLKEM768', { type: 'TLSGroup', name: 'SecP256r1MLKEM768' }, 'TLSv1.3', { group: 'SecP256r1MLKEM768', postQuantum: true }, 'pq-hybrid'],
    ['SecP384r1MLKEM1024', { type: 'TLSGroup', name: 'SecP384r1MLKEM1024' }, 'TLSv1.3', { group: 'SecP384r1MLKEM1024', postQuantum: true }, 'pq-hybrid'],
    ['MLKEM768 alone', { type: 'TLSGroup', name: 'MLKEM768' }, 'TLSv1.3', { group: 'MLKEM768', postQuantum: true }, 'ml-kem'],
    ['X25519', { type: 'ECDH', name: 'X25519', size: 253 }, 'TLSv1.3', { group: 'X25519', size: 253, postQuantum: false }, 'ecdh'],
    ['P-256 in TLS 1.2', { type: 'ECDH', name: 'prime256v1', size: 256 }, 'TLSv1.2', { group: 'prime256v1', size: 256, postQuantum: false }, 'ecdh'],
    ['brainpool (Node 24+)', { type: 'ECDH', name: 'brainpoolP256r1', size: 256 }, 'TLSv1.3', { group: 'brainpoolP256r1', postQuantum: false }, 'ecdh'],
    ['ffdhe3072: TLS 1.3 allows only named groups', { type: 'DH', size: 3072 }, 'TLSv1.3', { group: 'ffdhe3072', size: 3072, postQuantum: false }, 'ffdhe'],
    ['TLS 1.2 DHE: the server’s own parameters, no group', { type: 'DH', size: 2048 }, 'TLSv1.2', { size: 2048, postQuantum: false }, 'ffdhe'],
    ['a group this vocabulary does not know', { type: 'TLSGroup', name: 'FutureKEM9000' }, 'TLSv1.3', { group: 'FutureKEM9000', postQuantum: false }, 'other'],
  ])('%s', (_label, info, protocol, expected, family) => {
    const kx = keyExchangeFromNode(info, protocol);
    expect(kx).toMatchObject({ type: info.type, ...expected });
    if (!('group' in expected)) expect(kx).not.toHaveProperty('group');
    expect(keyExchangeFamily(kx!)).toBe(family);
  });

  it('calls a TLS 1.3 exchange that Node reports as {} unnamed, and claims nothing about it (Node 22 with ML-KEM)', () => {
    expect(keyExchangeFromNode({}, 'TLSv1.3')).toEqual({ type: 'unnamed' });
    expect(keyExchangeText({ type: 'unnamed' })).toMatch(/^not named by this Node/);
  });

  it('gives nothing when Node reports no ephemeral key (e.g. plain RSA key transport)', () => {
    expect(keyExchangeFromNode({}, 'TLSv1.2')).toBeUndefined();
    expect(keyExchangeFromNode(null, null)).toBeUndefined();
  });

  it('calls exactly the ML-KEM groups post-quantum', () => {
    expect(Object.keys(POST_QUANTUM_GROUPS).sort()).toEqual(['MLKEM1024', 'MLKEM512', 'MLKEM768', 'SecP256r1MLKEM768', 'SecP384r1MLKEM1024', 'X25519MLKEM768']);
  });
});

describe('key exchange words', () => {
  it.each([
    [{ type: 'TLSGroup', name: 'X25519MLKEM768', group: 'X25519MLKEM768', postQuantum: true }, 'X25519MLKEM768 — post-quantum (ML-KEM hybrid)'],
    [{ type: 'TLSGroup', name: 'MLKEM1024', group: 'MLKEM1024', postQuantum: true }, 'MLKEM1024 — post-quantum (ML-KEM alone)'],
    [{ type: 'ECDH', name: 'X25519', size: 253, group: 'X25519', postQuantum: false }, 'X25519 — classic ECDH, 253 bits'],
    [{ type: 'DH', size: 2048, group: 'ffdhe2048', postQuantum: false }, 'ffdhe2048 — classic finite-field DH, 2048 bits'],
    [{ type: 'DH', size: 1024, postQuantum: false }, "server's own DH group — classic finite-field DH, 1024 bits"],
    // A result written before `group` existed still reads right.
    [{ type: 'ECDH', name: 'secp384r1', size: 384 }, 'secp384r1 — classic ECDH, 384 bits'],
    // A name from a file is sanitised.
    [{ type: 'TLSGroup', name: 'X\u001b[2J' }, 'X\\x1b[2J — not known to mxtls'],
  ])('%j', (kx, text) => {
    expect(keyExchangeText(kx)).toBe(text);
  });

  const at = (kx: Parameters<typeof keyExchangeText>[0] | undefined) => address('verified', probe('mx.example.com', '192.0.2.1', { tls: tls({ keyExchange: kx }) }));
  const pq = { type: 'TLSGroup', name: 'X25519MLKEM768', group: 'X25519MLKEM768', postQuantum: true };
  const classic = { type: 'ECDH', name: 'X25519', size: 253, group: 'X25519', postQuantum: false };

  it('marks a domain PQ when every TLS address was, with a count when only some were', () => {
    expect(postQuantumMark([at(pq), at(pq)])).toBe('PQ');
    expect(postQuantumMark([at(pq), at(classic)])).toBe('PQ 1/2');
    expect(postQuantumMark([at(classic)])).toBe('');
    expect(postQuantumMark([])).toBe('');
  });
});
