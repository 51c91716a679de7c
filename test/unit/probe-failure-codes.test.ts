import { describe, expect, it } from 'vitest';
import { NET_ERROR_CAUSES, netErrorCause } from '../../src/net-errors.js';
import { classifyError } from '../../src/probe/failure-codes.js';

/** A Node socket error as libuv reports it: a code and the failed syscall. */
const nodeError = (code: string, syscall: string | null = 'read') => Object.assign(new Error(`${syscall ?? ''} ${code}`), { code, ...(syscall ? { syscall } : {}) });

describe('netErrorCause: one table for SMTP, TLS and the MTA-STS fetch', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ETIMEDOUT', 'timeout'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['EADDRNOTAVAIL', 'unreachable'],
    ['EAFNOSUPPORT', 'unreachable'],
    ['ECONNRESET', 'reset'],
    ['ECONNABORTED', 'reset'],
    ['EPIPE', 'closed'],
    ['ERR_STREAM_DESTROYED', 'closed'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tls'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['EWHATEVER', 'other'],
  ])('%s → %s', (code, cause) => {
    expect(netErrorCause(nodeError(code))).toBe(cause);
  });

  it('a reset without the failed syscall is a close (Node says so of a hang-up mid-handshake)', () => {
    expect(netErrorCause(nodeError('ECONNRESET', null))).toBe('closed');
  });

  it('anything without a string code is other', () => {
    expect(netErrorCause('boom')).toBe('other');
    expect(netErrorCause({ code: 42 })).toBe('other');
    expect(NET_ERROR_CAUSES).toContain('other');
  });
});

describe('classifyError: the SMTP session names each cause', () => {
  it.each([
    ['ECONNREFUSED', 'connect-refused'],
    ['ETIMEDOUT', 'connect-timeout'],
    ['EHOSTUNREACH', 'network-unreachable'],
    ['ECONNRESET', 'connection-reset'],
    ['EPIPE', 'connection-closed'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls-handshake-failed'],
    ['EWHATEVER', 'io-error'],
  ])('%s → %s', (code, kind) => {
    expect(classifyError(nodeError(code)).kind).toBe(kind);
  });

  it('keeps the message and the code', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNREFUSED', syscall: 'connect' });
    expect(classifyError(err)).toEqual({ kind: 'connect-refused', message: 'connect ECONNREFUSED 127.0.0.1:25', code: 'ECONNREFUSED' });
  });

  it('handles things that are not errors', () => {
    expect(classifyError('boom')).toEqual({ kind: 'io-error', message: 'boom' });
    expect(classifyError({ code: 42 })).toEqual({ kind: 'io-error', message: '[object Object]' });
  });
});
