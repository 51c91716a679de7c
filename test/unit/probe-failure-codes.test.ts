import { describe, expect, it } from 'vitest';
import { classifyError, failureKindForCode } from '../../src/probe/failure-codes.js';

describe('failureKindForCode', () => {
  const table: Array<[string | undefined, string]> = [
    ['ECONNREFUSED', 'connect-refused'],
    ['ETIMEDOUT', 'connect-timeout'],
    ['EHOSTUNREACH', 'network-unreachable'],
    ['ENETUNREACH', 'network-unreachable'],
    ['EADDRNOTAVAIL', 'network-unreachable'],
    ['EAFNOSUPPORT', 'network-unreachable'],
    ['ECONNRESET', 'connection-reset'],
    ['EPIPE', 'connection-closed'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls-handshake-failed'],
    ['EWHATEVER', 'io-error'],
    [undefined, 'io-error'],
  ];
  for (const [code, kind] of table) {
    it(`${code} → ${kind}`, () => expect(failureKindForCode(code)).toBe(kind));
  }
});

describe('classifyError', () => {
  it('keeps the message and the code', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNREFUSED' });
    expect(classifyError(err)).toEqual({ kind: 'connect-refused', message: 'connect ECONNREFUSED 127.0.0.1:25', code: 'ECONNREFUSED' });
  });

  it('handles things that are not errors', () => {
    expect(classifyError('boom')).toEqual({ kind: 'io-error', message: 'boom' });
    expect(classifyError({ code: 42 })).toEqual({ kind: 'io-error', message: '[object Object]' });
  });
});
