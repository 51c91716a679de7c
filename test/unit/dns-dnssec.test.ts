import { describe, expect, it } from 'vitest';
import { addressesSecure, domainDnssec } from '../../src/dns/dnssec.js';
import type { DnsAnswer, MxHost, MxResolution } from '../../src/types.js';

const answer = (status: DnsAnswer<string>['status'], authenticated: boolean, records: string[] = []): DnsAnswer<string> => ({ status, authenticated, records, cnames: [] });
const host = (a: DnsAnswer<string>, aaaa: DnsAnswer<string>): MxHost => ({ name: 'mx.a.test', preference: 10, a, aaaa });
const mxAnswer = (authenticated: boolean) => ({ status: 'ok' as const, authenticated, records: [{ preference: 10, exchange: 'mx.a.test' }], cnames: [] });
const ok = (authenticated: boolean, hosts: MxHost[], explicit = false): MxResolution => ({ status: 'ok', implicit: false, ...(explicit ? { explicit } : {}), hosts, mx: mxAnswer(authenticated) });

const secureHost = host(answer('ok', true, ['192.0.2.1']), answer('nodata', true));
const insecureHost = host(answer('ok', false, ['192.0.2.2']), answer('nodata', false));

describe('addressesSecure', () => {
  it.each([
    ['validated A and validated NODATA AAAA', secureHost, true],
    ['validated A, AAAA timed out', host(answer('ok', true, ['192.0.2.1']), answer('timeout', false)), true],
    ['validated A, unvalidated AAAA NODATA', host(answer('ok', true, ['192.0.2.1']), answer('nodata', false)), false],
    ['no addresses at all, validated', host(answer('nodata', true), answer('nxdomain', true)), false],
    ['unvalidated A', insecureHost, false],
  ])('%s → %s', (_what, h, expected) => {
    expect(addressesSecure(h)).toBe(expected);
  });
});

describe('domainDnssec', () => {
  it('secure, partial, insecure from the MX answer and the hosts with addresses', () => {
    expect(domainDnssec(ok(true, [secureHost]))).toBe('secure');
    expect(domainDnssec(ok(true, [secureHost, insecureHost]))).toBe('partial');
    // A host without any address carries no mail: it does not weaken the verdict.
    expect(domainDnssec(ok(true, [secureHost, host(answer('nodata', false), answer('nodata', false))]))).toBe('secure');
    expect(domainDnssec(ok(false, [secureHost]))).toBe('insecure');
  });

  it('an explicit next hop is as secure as its addresses', () => {
    expect(domainDnssec(ok(false, [secureHost], true))).toBe('secure');
    expect(domainDnssec(ok(false, [insecureHost], true))).toBe('insecure');
  });

  it('bogus and failed MX lookups, and validated denials', () => {
    const failed = (reason: 'bogus' | 'servfail'): MxResolution => ({ status: 'dns-error', reason, mx: { status: reason, records: [], cnames: [], authenticated: false } });
    expect(domainDnssec(failed('bogus'))).toBe('bogus');
    expect(domainDnssec(failed('servfail'))).toBe('unknown');
    expect(domainDnssec({ status: 'nxdomain', mx: { status: 'nxdomain', records: [], cnames: [], authenticated: true } })).toBe('secure');
    expect(domainDnssec({ status: 'null-mx', mx: { status: 'ok', records: [{ preference: 0, exchange: '' }], cnames: [], authenticated: false } })).toBe('insecure');
  });
});
