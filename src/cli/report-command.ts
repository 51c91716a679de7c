// The `report` command: saved results (and the previous run) → one self-contained HTML page.
// No network: every fact comes from the results file; lines are recommended again under
// today's --partial/--mixed, exactly as `mxtls policy` does.
import { basename } from 'node:path';
import { DiffSession, previousLines } from '../diff/index.js';
import { savedDomainResults, type ResultsProblem } from '../input/read-results.js';
import { createPolicyWriter } from '../output/policy-file.js';
import { ReportBuilder, type PolicyLineText } from '../report/report-model.js';
import { renderReport } from '../report/render-report.js';
import type { DomainResult, PolicyRecommendation } from '../types.js';
import { VERSION } from '../version.js';
import { replayRun, runToEnd, type RunObserver } from '../run/run.js';
import { exitCodeOf } from './exit-codes.js';
import { assertReadable } from './readable.js';
import { internalErrorLine } from './internal-errors.js';
import { postfixTarget } from './postfix-target.js';
import { previousRunReader } from './previous-runs.js';
import type { ReportArgs } from './report-options.js';
import { openSink } from './sink.js';

export async function runReport(args: ReportArgs): Promise<number> {
  await assertReadable([args.results, args.previous, args.diff]);
  const now = new Date();
  let problems = 0;
  const warn = (path: string) => (p: ResultsProblem) => {
    problems++;
    process.stderr.write(`mxtls: ${path}:${p.line}: ${p.error} (skipped)\n`);
  };
  const readRun = previousRunReader();
  const previous = args.previous ? previousLines(await readRun(args.previous)) : undefined;
  const diff = args.diff ? new DiffSession(await readRun(args.diff), args['expiry-warn']) : undefined;
  const postfix = await postfixTarget(args.postfix, (text) => process.stderr.write(`mxtls: ${text}\n`));
  // The line each domain gets is the policy file's own entry (same checks, same comments).
  const writer = createPolicyWriter({ version: VERSION, generatedAt: now, keyWidth: 0, omitMay: args['omit-may'], postfix });
  const lineFor = (result: DomainResult, rec: PolicyRecommendation): PolicyLineText => {
    const lines = writer.entry(result, rec).split('\n').filter((l) => l !== '');
    const line = lines.find((l) => !l.startsWith('#'));
    if (line !== undefined) return { text: line, written: true };
    // No line for no-mail or unknown: the reasons say why. A level whose line could not be
    // written (an invalid attribute, one too long) says why in its last comment.
    if (rec.kind !== 'line') return { text: 'no line', written: false };
    return { text: (lines.at(-1) ?? '').replace(/^# [^:]*: /, ''), written: false };
  };
  const builder = new ReportBuilder({ now, expiryWarnDays: args['expiry-warn'], lineFor });
  const observer: RunObserver = {
    domainDone: ({ result, recommendation, changes }) => {
      const bug = internalErrorLine(result);
      if (bug) process.stderr.write(bug);
      builder.domain(result, recommendation);
      if (diff) builder.diffChanges(changes, true);
    },
    gone: (change) => builder.diffChanges([change], false),
  };
  const summary = await runToEnd(
    replayRun(savedDomainResults(args.results, warn(args.results)), { policy: { partial: args.partial, mixed: args.mixed }, observers: [observer], ...(previous ? { previous } : {}), ...(diff ? { diff } : {}) }),
  );

  const page = renderReport(builder.build(), {
    version: VERSION,
    generatedAt: now,
    results: basename(args.results),
    ...(args.diff ? { previous: basename(args.diff) } : {}),
    expiryWarnDays: args['expiry-warn'],
    policyOptions: `--partial ${args.partial} --mixed ${args.mixed}${args['omit-may'] ? ' --omit-may' : ''}, for Postfix ${postfix.label}`,
  });
  const sink = await openSink(args.output);
  try {
    await sink.write(page);
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return exitCodeOf(summary, problems);
}
