import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabPki, type LabPki } from '../../fixtures/certs.js';
import { discoverMtaSts, stsTxtName, type MtaStsDeps } from '../../src/mta-sts/discover.js';
import type { PolicyFetchResult } from '../../src/mta-sts/fetch-policy.js';
import type { DnsAnswer, DnsStatus } from '../../src/types.js';

const HOST = '127.0.0.91';
const POLICY = 'version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.mail.example.test\r\nmax_age: 604800\r\n';
/** The policy's lines as the report keeps them (TLSRPT's policy-string): terminators removed. */
const POLICY_LINES = ['version: STSv1', 'mode: enforce', 'mx: mx1.example.test', 'mx: *.mail.example.test', 'max_age: 604800'];

function answer(status: DnsStatus, records: string[][] = [], extra: Partial<DnsAnswer<string[]>> = {}): DnsAnswer<string[]> {
  return { status, records, cnames: [], authenticated: false, ...extra };
}

/** A TXT function answering from a table, recording the names asked. */
function txtFrom(table: Record<string, DnsAnswer<string[]>>): MtaStsDeps['txt'] & { asked: string[] } {
  const asked: string[] = [];
  const txt = async (name: string): Promise<DnsAnswer<string[]>> => {
    asked.push(name);
    return table[name] ?? answer('nxdomain');
  };
  return Object.assign(txt, { asked });
}

const okFetch = (body: string) => async (domain: string): Promise<PolicyFetchResult> => ({ ok: true, url: `https://mta-sts.${domain}/.well-known/mta-sts.txt`, body, contentType: 'text/plain' });

describe('discoverMtaSts with injected parts', () => {
  it('asks _mta-sts.<domain> and reports the policy', async () => {
    const txt = txtFrom({ '_mta-sts.example.test': answer('ok', [['v=STSv1; id=2024a'], ['v=spf1 -all']], { authenticated: true }) });
    const result = await discoverMtaSts('Example.Test.', { txt, fetch: okFetch(POLICY) });
    expect(txt.asked).toEqual(['_mta-sts.example.test']);
    expect(result).toEqual({
      status: 'ok',
      id: '2024a',
      policy: { mode: 'enforce', mx: ['mx1.example.test', '*.mail.example.test'], maxAge: 604800, lines: POLICY_LINES },
      authenticated: true,
    });
  });

  it.each(['nxdomain', 'nodata'] as const)('is none on %s, without fetching', async (status) => {
    let fetched = 0;
    const result = await discoverMtaSts('example.test', {
      txt: txtFrom({ '_mta-sts.example.test': answer(status) }),
      fetch: async (d) => {
        fetched++;
        return okFetch(POLICY)(d);
      },
    });
    expect(result).toMatchObject({ status: 'none', stage: 'txt' });
    expect(fetched).toBe(0);
  });

  it('is none when no TXT record is STSv1', async () => {
    const result = await discoverMtaSts('example.test', { txt: txtFrom({ '_mta-sts.example.test': answer('ok', [['v=spf1 -all']]) }), fetch: okFetch(POLICY) });
    expect(result).toMatchObject({ status: 'none', stage: 'txt' });
  });

  it.each(['servfail', 'timeout', 'refused', 'error'] as const)('is unknown on %s (there may be a policy)', async (status) => {
    const result = await discoverMtaSts('example.test', { txt: txtFrom({ '_mta-sts.example.test': answer(status, [], { detail: 'no answer' }) }), fetch: okFetch(POLICY) });
    expect(result).toMatchObject({ status: 'unknown', stage: 'dns', reason: `TXT lookup: ${status} (no answer)` });
  });

  it('is unknown when the TXT function throws', async () => {
    const result = await discoverMtaSts('example.test', {
      txt: async () => {
        throw new Error('boom');
      },
    });
    expect(result).toMatchObject({ status: 'unknown', stage: 'dns', reason: expect.stringMatching(/boom/) });
  });

  it('is invalid with two STSv1 records', async () => {
    const result = await discoverMtaSts('example.test', { txt: txtFrom({ '_mta-sts.example.test': answer('ok', [['v=STSv1; id=a'], ['v=STSv1; id=b']]) }), fetch: okFetch(POLICY) });
    expect(result).toMatchObject({ status: 'invalid', stage: 'txt' });
  });

  it('is invalid, keeping the id, when the fetch fails', async () => {
    const result = await discoverMtaSts('example.test', {
      txt: txtFrom({ '_mta-sts.example.test': answer('ok', [['v=STSv1; id=abc']]) }),
      fetch: async (domain) => ({ ok: false, url: `https://mta-sts.${domain}/.well-known/mta-sts.txt`, kind: 'http-status', status: 404, detail: 'HTTP 404' }),
    });
    expect(result).toMatchObject({ status: 'invalid', stage: 'fetch', id: 'abc', fetchError: 'http-status', reason: expect.stringMatching(/HTTP 404/) });
  });

  it('is invalid, with the line, when the policy does not parse', async () => {
    const result = await discoverMtaSts('example.test', {
      txt: txtFrom({ '_mta-sts.example.test': answer('ok', [['v=STSv1; id=abc']]) }),
      fetch: okFetch('version: STSv1\nmode: strict\nmx: mx.example.test\nmax_age: 1\n'),
    });
    expect(result).toMatchObject({ status: 'invalid', stage: 'policy', id: 'abc', reason: expect.stringMatching(/mode must be .*\(line 2\)/) });
  });

  it('names the record', () => expect(stsTxtName('EXAMPLE.test.')).toBe('_mta-sts.example.test'));
});

describe('discoverMtaSts end to end over HTTPS', () => {
  let pki: LabPki;
  let server: https.Server;
  let port = 0;
  const paths: string[] = [];

  beforeAll(async () => {
    pki = await createLabPki();
    const leaf = await pki.leaf({ dnsNames: ['mta-sts.example.test'] });
    server = https.createServer({ cert: leaf.chainPem, key: leaf.keyPem }, (req, res) => {
      paths.push(`${req.headers.host ?? ''}${req.url ?? ''}`);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(POLICY);
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it('TXT → verified HTTPS fetch → parsed policy', async () => {
    const result = await discoverMtaSts('example.test', {
      txt: txtFrom({ '_mta-sts.example.test': answer('ok', [['v=STSv1;', ' id=20240101T000000']]) }),
      fetchOptions: { ca: [pki.root.certPem], timeoutMs: 3000, connectTo: { 'mta-sts.example.test': { address: HOST, port } } },
    });
    expect(result).toEqual({
      status: 'ok',
      id: '20240101T000000',
      policy: { mode: 'enforce', mx: ['mx1.example.test', '*.mail.example.test'], maxAge: 604800, lines: POLICY_LINES },
      authenticated: false,
    });
    expect(paths).toEqual(['mta-sts.example.test/.well-known/mta-sts.txt']);
  });

  it('an untrusted certificate makes the published policy invalid (fetch stage, tls)', async () => {
    const result = await discoverMtaSts('example.test', {
      txt: txtFrom({ '_mta-sts.example.test': answer('ok', [['v=STSv1; id=1']]) }),
      fetchOptions: { ca: [], timeoutMs: 3000, connectTo: { 'mta-sts.example.test': { address: HOST, port } } },
    });
    expect(result).toMatchObject({ status: 'invalid', stage: 'fetch', fetchError: 'tls', id: '1' });
  });
});
