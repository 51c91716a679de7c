// A bug in mxtls while scanning one domain becomes that domain's own result (ARCHITECTURE
// principle 2, POLICY.md rule 0): status 'internal-error', the error and its stack kept for the
// bug report, no policy line. It is never dressed as a DNS failure, a TLS failure or a DANE
// mismatch, which would blame the domain (and could lower its line) for our mistake.
import type { DomainResult, HostResult, InternalError, MxResolution } from '../types.js';
import { SCHEMA_VERSION } from '../types.js';

export function internalErrorOf(err: unknown): InternalError {
  const message = err instanceof Error ? err.message : String(err);
  const stack = err instanceof Error ? err.stack : undefined;
  return { message, ...(stack ? { stack } : {}) };
}

/** The first probe of the domain that ended in an internal error, if any. */
export function probeInternalError(hosts: readonly HostResult[]): InternalError | undefined {
  for (const host of hosts) {
    for (const { probe } of host.addresses) {
      const f = probe.failure;
      if (f?.kind === 'internal-error') return { message: f.message, ...(f.stack ? { stack: f.stack } : {}), address: `${probe.address}:${probe.port}` };
    }
  }
  return undefined;
}

/** Stands in for an MX lookup that an internal error cut short. */
function unresolved(detail: string): MxResolution {
  return { status: 'dns-error', reason: 'error', detail, mx: { status: 'error', records: [], cnames: [], authenticated: false, detail } };
}

/** The result of a domain whose scan hit a bug, keeping whatever was learnt before it. */
export function internalErrorResult(
  target: { domain: string; input?: string },
  error: InternalError,
  startedMs: number,
  partial: { mx?: MxResolution; hosts?: HostResult[] } = {},
): DomainResult {
  return {
    schema: SCHEMA_VERSION,
    domain: target.domain,
    ...(target.input !== undefined && target.input !== target.domain ? { input: target.input } : {}),
    status: 'internal-error',
    internalError: error,
    mx: partial.mx ?? unresolved('not resolved: internal error in mxtls'),
    hosts: partial.hosts ?? [],
    startedAt: new Date(startedMs).toISOString(),
    durationMs: Date.now() - startedMs,
  };
}
