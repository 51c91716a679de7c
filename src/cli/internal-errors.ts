// Internal errors on stderr: one line per domain, naming it, so a nightly job's mail shows that
// mxtls (not the domain) failed there. The stack stays in the JSON result for the bug report.
import { sanitizeText } from '../output/sanitize.js';
import type { DomainResult } from '../types.js';

/** Counts the domains that ended in an internal error and says so on stderr. */
export class InternalErrors {
  count = 0;
  constructor(private readonly stderr: NodeJS.WritableStream) {}

  /** Reports `result` if it is an internal error; true when it was. */
  note(result: DomainResult): boolean {
    if (result.status !== 'internal-error') return false;
    this.count++;
    const error = result.internalError;
    const where = error?.address ? ` (probing ${sanitizeText(error.address, 60)})` : '';
    const message = sanitizeText(error?.message ?? 'unknown error', 300);
    this.stderr.write(`mxtls: internal error while scanning ${sanitizeText(result.domain, 255)}${where}: ${message}; a bug in mxtls, not a fault of the domain: no line written, the JSON result has the stack\n`);
    return true;
  }
}
