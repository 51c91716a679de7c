import { describe, expect, it } from 'vitest';
import { daneReferenceNames, tlsaLookupOrder, tlsaOwnerName } from '../../src/dane/tlsa-name.js';

describe('tlsaOwnerName', () => {
  it.each([
    ['mx.example.com', 25, '_25._tcp.mx.example.com'],
    ['MX.Example.COM.', 25, '_25._tcp.mx.example.com'],
    ['mail.example.net', 465, '_465._tcp.mail.example.net'],
    ['mail.example.net', 2525, '_2525._tcp.mail.example.net'],
  ])('%s port %d → %s', (host, port, owner) => {
    expect(tlsaOwnerName(host, port)).toBe(owner);
  });

  it('defaults to port 25', () => {
    expect(tlsaOwnerName('mx1.example.org')).toBe('_25._tcp.mx1.example.org');
  });

  it.each([0, -1, 65536, 25.5, Number.NaN])('rejects port %s', (port) => {
    expect(() => tlsaOwnerName('mx.example.com', port)).toThrow(RangeError);
  });

  it.each(['', '.', '.example.com', 'a..example.com'])('rejects host %j', (host) => {
    expect(() => tlsaOwnerName(host)).toThrow(RangeError);
  });
});

describe('tlsaLookupOrder (RFC 7672 §2.2.2)', () => {
  it('no CNAME: the MX host name only', () => {
    expect(tlsaLookupOrder('mx.example.com', undefined)).toEqual(['_25._tcp.mx.example.com']);
    expect(tlsaLookupOrder('mx.example.com', { finalName: 'MX.example.com.', secure: true })).toEqual(['_25._tcp.mx.example.com']);
  });

  it('secure CNAME expansion: the expanded name first, then the MX host name', () => {
    expect(tlsaLookupOrder('mx.example.com', { finalName: 'smtp.provider.net', secure: true })).toEqual([
      '_25._tcp.smtp.provider.net',
      '_25._tcp.mx.example.com',
    ]);
  });

  it('insecure CNAME expansion: never the expanded name', () => {
    expect(tlsaLookupOrder('mx.example.com', { finalName: 'smtp.provider.net', secure: false })).toEqual(['_25._tcp.mx.example.com']);
  });

  it('port-aware', () => {
    expect(tlsaLookupOrder('mx.example.com', { finalName: 'smtp.provider.net', secure: true }, 2525)).toEqual([
      '_2525._tcp.smtp.provider.net',
      '_2525._tcp.mx.example.com',
    ]);
  });
});

describe('daneReferenceNames', () => {
  it('base domain and MX host, normalised, without duplicates', () => {
    expect(daneReferenceNames('smtp.provider.net.', 'MX.example.com')).toEqual(['smtp.provider.net', 'mx.example.com']);
    expect(daneReferenceNames('mx.example.com', 'MX.Example.com.')).toEqual(['mx.example.com']);
  });
});
