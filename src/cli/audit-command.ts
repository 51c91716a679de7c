import { readFile } from 'node:fs/promises';
import { auditMailLog, policyDefersMail } from '../maillog/audit.js';
import { renderAuditJson, renderAuditTable } from '../maillog/audit-render.js';
import { summarizeMailLogs, type MailLogSummary } from '../maillog/aggregate.js';
import { parsePolicyMapSource, type PolicyMapSource } from '../policy/policy-map-source.js';
import type { AuditArgs } from './audit-options.js';
import { type DomainsIO, processIO } from './domains-command.js';
import { logPaths } from './domains-options.js';
import { EXIT } from './exit-codes.js';

async function readPolicy(path: string): Promise<PolicyMapSource> {
  try {
    return parsePolicyMapSource(await readFile(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`--policy ${path}: ${code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * The audit command: mail logs (+ the policy file) → verdict → exit code: 1 when the TLS policy
 * deferred or bounced mail, 3 when the verdict is partial (no TLS lines logged, policy lines
 * that cannot be read), 2 when a file cannot be read.
 */
export async function runAudit(args: AuditArgs, io: DomainsIO = processIO): Promise<number> {
  let policy: PolicyMapSource | undefined;
  let summary: MailLogSummary;
  try {
    if (args.policy !== undefined) policy = await readPolicy(args.policy);
    summary = await summarizeMailLogs(logPaths(args), io.stdin);
  } catch (err) {
    io.err(`mxtls: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.usage;
  }

  const report = auditMailLog(summary, policy);
  for (const problem of policy?.problems ?? []) io.err(`mxtls: --policy ${args.policy}: ${problem}\n`);
  io.out(args.format === 'json' ? renderAuditJson(report) : renderAuditTable(report));
  if (policyDefersMail(report)) return EXIT.regression;
  const partial = (!report.tlsLogged && report.domains.length > 0) || (policy?.problems.length ?? 0) > 0;
  return partial ? EXIT.incomplete : EXIT.ok;
}
