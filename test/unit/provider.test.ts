import { describe, expect, it } from 'vitest';
import { providerOf } from '../../src/scan/provider.js';

describe('providerOf: the registered domain of an MX host', () => {
  it.each([
    ['mx1.mail.example.net', 'example.net'],
    ['mx2.mail.example.net', 'example.net'],
    ['mx.example.co.uk', 'example.co.uk'],
    ['aspmx.l.google.com', 'google.com'],
    ['example-com.mail.protection.outlook.com', 'outlook.com'],
    // Private suffixes are left out: the hosts under one run on one operator's network.
    ['ec2-192-0-2-1.compute-1.amazonaws.com', 'amazonaws.com'],
    // A name outside the list's TLDs still has a registered domain (the list's "*" rule).
    ['mx1.bench.test', 'bench.test'],
    // An explicit next hop's IP literal, or a name without a registered domain, stands alone.
    ['192.0.2.1', '192.0.2.1'],
    ['localhost', 'localhost'],
  ])('%s → %s', async (host, provider) => {
    expect(await providerOf(host)).toBe(provider);
  });
});
