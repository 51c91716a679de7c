import { describe, expect, it } from 'vitest';
import { createHostListPool, createHostPool } from '../../src/diff/host-pool.js';
import { lineOf, toSnapshot } from '../../src/diff/snapshot.js';
import { inDays, mxAddress, mxHost, NOW, scan, snap } from '../helpers/diff-fixtures.js';
import { host } from '../helpers/output-fixtures.js';

describe('toSnapshot', () => {
  it('keeps the line, the MX hosts and one small record per address', () => {
    const s = snap(
      scan('example.com', [
        host('mx1.example.com', 10, [
          mxAddress('verified', 'mx1.example.com', '192.0.2.1', { fp: 'c', notAfter: inDays(30) }),
          mxAddress('tls-failed', 'mx1.example.com', '192.0.2.2'),
        ]),
        mxHost('mx2.example.com', ['no-starttls'], {}, 20),
      ], { level: 'may' }),
    );
    expect(s).toEqual({
      domain: 'example.com',
      scannedAt: NOW.getTime(),
      status: 'scanned',
      kind: 'line',
      level: 'may',
      hosts: [
        {
          name: 'mx1.example.com',
          addresses: [
            { address: '192.0.2.1', observation: 'verified', leaf: 'c'.repeat(64), notAfter: Date.parse(inDays(30)) },
            { address: '192.0.2.2', observation: 'tls-failed', failure: 'tls-handshake-failed' },
          ],
        },
        { name: 'mx2.example.com', addresses: [{ address: '192.0.2.1', observation: 'no-starttls' }] },
      ],
    });
    expect(lineOf(s)).toEqual({ level: 'may', attributes: {}, scannedAt: NOW.toISOString() });
  });

  it.each([
    ['verified', true],
    ['expired', true],
    ['self-signed', false],
  ] as const)('a %s leaf keeps its expiry date: %s', (does, kept) => {
    const [address] = snap(scan('example.com', [mxHost('mx.example.com', [does])], {})).hosts[0]!.addresses;
    expect(address?.leaf).toBe('a'.repeat(64));
    expect(address?.notAfter !== undefined).toBe(kept);
  });

  it('drops the expiry date of a leaf authenticated by DANE-EE (RFC 7672 §3.1.1), not of one by DANE-TA', () => {
    const result = scan('example.com', [mxHost('mx.example.com', ['expired'])], {});
    const address = result.result.hosts[0]!.addresses[0]!;
    address.dane = { matched: true, by: { usage: 3, selector: 1, matchingType: 1, depth: 0 } };
    expect(snap(result).hosts[0]!.addresses[0]!.notAfter).toBeUndefined();
    address.dane = { matched: true, by: { usage: 2, selector: 1, matchingType: 1, depth: 1 } };
    expect(snap(result).hosts[0]!.addresses[0]!.notAfter).toBeDefined();
  });

  it('leaves out addresses this machine cannot reach (no IPv6 route)', () => {
    const s = snap(scan('example.com', [host('mx.example.com', 10, [mxAddress('unreachable', 'mx.example.com', '2001:db8::1'), mxAddress('refused', 'mx.example.com', '192.0.2.1')])], {}));
    expect(s.hosts[0]?.addresses).toEqual([{ address: '192.0.2.1', observation: 'not-observed', failure: 'connect-refused' }]);
  });

  it('keeps a carried-over line with its attributes and its original date', () => {
    const s = snap(scan('example.com', [], { kind: 'line', level: 'secure', attributes: { match: '.example.com' }, carriedOverFrom: '2026-11-01T02:00:00.000Z' }));
    expect(lineOf(s)).toEqual({ level: 'secure', attributes: { match: '.example.com' }, scannedAt: '2026-11-01T02:00:00.000Z' });
  });

  it('has no level when there is no line', () => {
    const s = snap(scan('example.com', [mxHost('mx.example.com', ['timeout'])], { kind: 'unknown', level: undefined }));
    expect(s.level).toBeUndefined();
    expect(lineOf(s)).toBeUndefined();
    expect(s.kind).toBe('unknown');
  });
});

describe('createHostPool', () => {
  it('hands out one copy of equal hosts and keeps different ones apart', () => {
    const pool = createHostPool();
    const a = scan('a.example', [mxHost('mx.provider.example', ['verified', 'verified'])], {});
    const b = scan('b.example', [mxHost('mx.provider.example', ['verified', 'verified'])], {});
    const renewed = scan('c.example', [mxHost('mx.provider.example', ['verified', 'verified'], { fp: 'd' })], {});
    const [first, second, third] = [a, b, renewed].map(({ result, rec }) => toSnapshot(result, rec, pool).hosts[0]);
    expect(second).toBe(first);
    expect(third).not.toBe(first);
    expect(third?.addresses[0]?.leaf).toBe('d'.repeat(64));
  });
});

describe('createHostListPool', () => {
  it('hands out one array for domains with the same MX hosts, and keeps other lists apart', () => {
    const share = createHostPool();
    const shareHosts = createHostListPool();
    const [a, b, other] = [
      scan('a.example', [mxHost('mx1.provider.example', ['verified']), mxHost('mx2.provider.example', ['verified'], {}, 20)], {}),
      scan('b.example', [mxHost('mx1.provider.example', ['verified']), mxHost('mx2.provider.example', ['verified'], {}, 20)], {}),
      scan('c.example', [mxHost('mx1.provider.example', ['verified'])], {}),
    ].map(({ result, rec }) => toSnapshot(result, rec, share, shareHosts));
    expect(a!.hosts).toBe(b!.hosts);
    expect(other!.hosts).not.toBe(a!.hosts);
    expect(other!.hosts[0]).toBe(a!.hosts[0]);
  });
});
