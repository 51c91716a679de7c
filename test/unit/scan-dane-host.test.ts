import { describe, expect, it } from 'vitest';
import { lookupHostDane } from '../../src/scan/dane-host.js';
import type { DnsAnswer, MxHost, TlsaRecord } from '../../src/types.js';

const EE: TlsaRecord = { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) };
const PKIX: TlsaRecord = { usage: 1, selector: 1, matchingType: 1, data: 'cd'.repeat(32) };

const answer = <T>(status: DnsAnswer<T>['status'], authenticated: boolean, records: T[] = [], cnames: string[] = []): DnsAnswer<T> => ({ status, authenticated, records, cnames });
const host = (authenticated: boolean, cnames: string[] = []): MxHost => ({
  name: 'mx.a.test',
  preference: 10,
  a: answer('ok', authenticated, ['192.0.2.1'], cnames),
  aaaa: answer('nodata', authenticated, [], cnames),
});

/** A TLSA lookup answering from a table, recording what was asked. */
function tlsaFrom(table: Record<string, DnsAnswer<TlsaRecord>>) {
  const asked: string[] = [];
  const fn = async (name: string) => {
    asked.push(name);
    return table[name] ?? answer<TlsaRecord>('nxdomain', true);
  };
  return { fn, asked };
}

describe('lookupHostDane', () => {
  it('does not look when the MX RRset or the addresses are not validated', async () => {
    const t = tlsaFrom({ '_25._tcp.mx.a.test': answer('ok', true, [EE]) });
    expect(await lookupHostDane(host(true), false, t.fn, 25)).toMatchObject({ status: 'not-applicable', detail: 'MX RRset not DNSSEC-validated' });
    expect(await lookupHostDane(host(false), true, t.fn, 25)).toMatchObject({ status: 'not-applicable', detail: 'address records of mx.a.test not DNSSEC-validated' });
    expect(t.asked).toEqual([]);
  });

  it('counts the usable records of a validated RRset', async () => {
    const t = tlsaFrom({ '_25._tcp.mx.a.test': answer('ok', true, [EE, PKIX]) });
    expect(await lookupHostDane(host(true), true, t.fn, 25)).toEqual({ status: 'tlsa', tlsaName: '_25._tcp.mx.a.test', records: [EE, PKIX], usable: 1 });
  });

  it('tries the CNAME-expanded name first, then the MX name (RFC 7672 §2.2.2)', async () => {
    const t = tlsaFrom({ '_25._tcp.mx.a.test': answer('ok', true, [EE]) });
    const result = await lookupHostDane(host(true, ['mail.hoster.test']), true, t.fn, 25);
    expect(t.asked).toEqual(['_25._tcp.mail.hoster.test', '_25._tcp.mx.a.test']);
    expect(result).toMatchObject({ status: 'tlsa', tlsaName: '_25._tcp.mx.a.test' });
  });

  it('no records, unvalidated records, failed lookups', async () => {
    expect(await lookupHostDane(host(true), true, tlsaFrom({}).fn, 25)).toEqual({ status: 'no-tlsa', tlsaName: '_25._tcp.mx.a.test', records: [], usable: 0 });
    const insecure = tlsaFrom({ '_25._tcp.mx.a.test': answer('ok', false, [EE]) });
    expect(await lookupHostDane(host(true), true, insecure.fn, 25)).toMatchObject({ status: 'insecure-tlsa', usable: 0 });
    const bogus = tlsaFrom({ '_25._tcp.mx.a.test': { ...answer<TlsaRecord>('bogus', false), detail: 'validation failed' } });
    expect(await lookupHostDane(host(true), true, bogus.fn, 25)).toMatchObject({ status: 'failed', detail: 'TLSA lookup bogus: validation failed' });
  });

  it('uses the next hop port in the owner name', async () => {
    const t = tlsaFrom({});
    await lookupHostDane(host(true), true, t.fn, 587);
    expect(t.asked).toEqual(['_587._tcp.mx.a.test']);
  });
});
