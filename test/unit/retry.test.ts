import { describe, expect, it } from 'vitest';
import { parseRetryDelays } from '../../src/scan/pacing.js';
import { retryPauses, transientAnswer } from '../../src/scan/retry.js';
import type { ProbeFailure, SmtpReply } from '../../src/types.js';
import { probe } from '../helpers/output-fixtures.js';

const reply = (code: number): SmtpReply => ({ code, lines: ['text'] });
const failed = (failure: ProbeFailure) => probe('mx.example.com', '192.0.2.1', { stage: 'connect', failure, tls: undefined });

describe('transientAnswer: what is retried later', () => {
  it.each([
    ['421 greeting', { stage: 'greeting', kind: 'greeting-rejected', message: '421', reply: reply(421) }, true],
    ['450 to EHLO', { stage: 'ehlo', kind: 'ehlo-rejected', message: '450', reply: reply(450) }, true],
    ['421 to STARTTLS', { stage: 'starttls', kind: 'starttls-rejected', message: '421', reply: reply(421) }, true],
    ['454 to STARTTLS (a certificate Postfix cannot load)', { stage: 'starttls', kind: 'starttls-rejected', message: '454', reply: reply(454) }, false],
    ['554 greeting', { stage: 'greeting', kind: 'greeting-rejected', message: '554', reply: reply(554) }, false],
    ['550 to EHLO', { stage: 'ehlo', kind: 'ehlo-rejected', message: '550', reply: reply(550) }, false],
    ['a greeting timeout', { stage: 'greeting', kind: 'greeting-timeout', message: 'no reply' }, false],
    ['a TLS failure', { stage: 'tls', kind: 'tls-handshake-failed', message: 'alert' }, false],
    ['a 421 after TLS (ehlo-tls)', { stage: 'ehlo-tls', kind: 'ehlo-rejected', message: '421', reply: reply(421) }, false],
    ['a refused connection', { stage: 'connect', kind: 'connect-refused', message: 'ECONNREFUSED' }, false],
  ] as [string, ProbeFailure, boolean][])('%s: %s', (_name, failure, retried) => {
    expect(transientAnswer(failed(failure)) !== undefined).toBe(retried);
  });

  it('a probe without a failure is not retried', () => {
    expect(transientAnswer(probe('mx.example.com', '192.0.2.1'))).toBeUndefined();
  });
});

describe('parseRetryDelays', () => {
  it('reads seconds, "none" and rejects junk', () => {
    expect(parseRetryDelays('30,120')).toEqual([30, 120]);
    expect(parseRetryDelays('none')).toEqual([]);
    expect(parseRetryDelays('0.5')).toEqual([0.5]);
    expect(() => parseRetryDelays('30,,120')).toThrow(/not a number/);
    expect(() => parseRetryDelays('-1')).toThrow(/not a number/);
    expect(() => parseRetryDelays('soon')).toThrow(/not a number/);
  });
});

describe('retryPauses', () => {
  it('waits the delay and at most a quarter more, never less', async () => {
    const t0 = performance.now();
    expect(await retryPauses()(0.1)).toBe(true);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(99);
    expect(waited).toBeLessThan(1000);
  });

  it('ends every pause at once, false, when the run is aborted, with one listener on its signal', async () => {
    const controller = new AbortController();
    let listeners = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    const pause = retryPauses(controller.signal);
    const pending = Array.from({ length: 20 }, () => pause(60));
    controller.abort();
    expect(await Promise.all(pending)).toEqual(Array(20).fill(false));
    expect(await pause(60)).toBe(false);
    expect(listeners).toBe(1);
  });
});
