// Runs the compiled mxtls CLI over the interop targets (`npm test` builds dist/ first).
import type { DomainResult, PolicyRecommendation } from '../../src/types.js';
import { cli } from '../../fixtures/cli-runner.js';
import type { InteropEnv } from './environment.js';

export type ScannedDomain = DomainResult & { policy: PolicyRecommendation };

async function scan(env: InteropEnv, format: 'ndjson' | 'policy', more: string[] = []): Promise<string> {
  const args = ['scan', '--resolver', env.resolver, '--ca-file', env.caFile, '--https-port', String(env.httpsPort), '--timeout', '10', '--ehlo', 'mxtls.interop.test', '--format', format, ...more];
  const run = await cli([...args, ...env.targets.map((t) => t.domain)]);
  // 0: every domain got a line; anything else means a target could not be read at all.
  if (run.code !== 0) throw new Error(`mxtls ${args.join(' ')} exited ${run.code}\n${run.stderr}${run.stdout}`);
  return run.stdout;
}

/** mxtls's full result per domain (whole lines: --detail full). */
export async function scanResults(env: InteropEnv): Promise<Map<string, ScannedDomain>> {
  const lines = (await scan(env, 'ndjson', ['--detail', 'full'])).trim().split('\n');
  return new Map(lines.map((line) => JSON.parse(line) as ScannedDomain).map((r) => [r.domain, r]));
}

/** The smtp_tls_policy_maps file mxtls writes for the targets: for `postfix` (a version), else
 *  for the local Postfix, as a user's run would. */
export function scanPolicy(env: InteropEnv, postfix?: string): Promise<string> {
  return scan(env, 'policy', postfix === undefined ? [] : ['--postfix', postfix]);
}
