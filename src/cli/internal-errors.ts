// Internal errors on stderr: one line per domain, naming it, so a nightly job's mail shows that
// mxtls (not the domain) failed there. The stack stays in the JSON result for the bug report.
import { sanitizeText } from '../output/sanitize.js';
import type { DomainResult } from '../types.js';

/** The stderr line for a domain that ended in an internal error; undefined for any other. */
export function internalErrorLine(result: DomainResult): string | undefined {
  if (result.status !== 'internal-error') return undefined;
  const error = result.internalError;
  const where = error?.address ? ` (probing ${sanitizeText(error.address, 60)})` : '';
  const message = sanitizeText(error?.message ?? 'unknown error', 300);
  return `mxtls: internal error while scanning ${sanitizeText(result.domain, 255)}${where}: ${message}; a bug in mxtls, not a fault of the domain: no line written, the JSON result has the stack\n`;
}
