import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServerHandle } from '../../fixtures/dns-server.js';
import { lookupTxt, type LookupOptions } from '../../src/dns/client.js';
import { UdpPool } from '../../src/dns/udp-pool.js';

/** This file's DNS sockets: a resolver's own, closed when the file is done. */
const pool = new UdpPool();
afterAll(() => pool.close());

const HOST = '127.0.0.92';

describe('lookupTxt', () => {
  let server: DnsServerHandle;
  let opts: LookupOptions;

  beforeAll(async () => {
    server = await startDnsServer({
      host: HOST,
      port: 0,
      zone: {
        '_mta-sts.example.test': { TXT: [['v=STSv1; ', 'id=abc'], ['v=spf1 -all']], ad: true },
        '_smtp._tls.example.test': { CNAME: 'rpt.example.net' },
        'rpt.example.net': { TXT: [['v=TLSRPTv1; rua=mailto:r@example.net']] },
        'example.test': { A: ['192.0.2.1'] },
        'broken.test': { rcode: 'SERVFAIL' },
      },
    });
    opts = { pool, resolvers: [server.address], timeoutMs: 500 };
  });
  afterAll(() => server.close());

  it('keeps each record as its character-strings', async () => {
    const answer = await lookupTxt('_mta-sts.example.test', opts);
    expect(answer).toMatchObject({ status: 'ok', authenticated: true });
    expect(answer.records).toEqual([['v=STSv1; ', 'id=abc'], ['v=spf1 -all']]);
  });

  it('follows a CNAME', async () => {
    const answer = await lookupTxt('_smtp._tls.example.test', opts);
    expect(answer).toMatchObject({ status: 'ok', cnames: ['rpt.example.net'], records: [['v=TLSRPTv1; rua=mailto:r@example.net']] });
  });

  it.each([
    ['example.test', 'nodata'],
    ['missing.example.test', 'nxdomain'],
    ['broken.test', 'servfail'],
  ])('%s → %s', async (name, status) => {
    expect(await lookupTxt(name, opts)).toMatchObject({ status, records: [] });
  });
});
