// TCP connect with its own timeout. The address is always an IP literal: name resolution is the
// scanner's job, and a host name here would make Node resolve it behind our back.
import net from 'node:net';
import { classifyError, type ClassifiedError } from './failure-codes.js';

export type ConnectOutcome = { ok: true; socket: net.Socket } | { ok: false; failure: ClassifiedError };

export function connectTcp(address: string, port: number, timeoutMs: number): Promise<ConnectOutcome> {
  if (net.isIP(address) === 0) {
    return Promise.resolve({ ok: false, failure: { kind: 'io-error', message: `not an IP address: ${JSON.stringify(address)}` } });
  }
  return new Promise((resolve) => {
    // An IP literal picks its own family; no lookup, so no family hint is needed.
    const socket = net.connect({ host: address, port });
    const finish = (outcome: ConnectOutcome): void => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      if (!outcome.ok) socket.destroy();
      resolve(outcome);
    };
    const onConnect = (): void => finish({ ok: true, socket });
    const onError = (err: Error): void => finish({ ok: false, failure: classifyError(err) });
    const timer = setTimeout(
      () => finish({ ok: false, failure: { kind: 'connect-timeout', message: `no connection within ${timeoutMs} ms` } }),
      timeoutMs,
    );
    socket.once('connect', onConnect);
    socket.once('error', onError);
  });
}
