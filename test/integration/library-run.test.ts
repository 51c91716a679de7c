// The public API through the package entry ('mxtls'), as a library user calls it: the run the CLI
// uses, with observers, over the lab and over an injected resolver and prober.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRenderer,
  DiffSession,
  parseResolverAddress,
  readPrevious,
  recommendPolicy,
  replayRun,
  runToEnd,
  scanDomain,
  scanDomains,
  summaryText,
  warningText,
  type DomainResult,
  type Resolver,
  type RunItem,
  type RunObserver,
  type RunSummary,
} from 'mxtls';
import { type Lab, startLab } from '../../fixtures/lab.js';
import { SCENARIOS } from '../../fixtures/scenarios.js';
import { probeFor } from '../helpers/result-builder.js';

let lab: Lab;
let options: Parameters<typeof scanDomains>[1];

beforeAll(async () => {
  lab = await startLab();
  options = {
    resolvers: [parseResolverAddress(lab.resolver)],
    port: lab.smtpPort,
    httpsPort: lab.httpsPort,
    caFile: lab.caFile,
    ehloName: 'test.mxtls.test',
    timeouts: { connect: 4, greeting: 4, command: 4, tls: 4 },
    concurrency: 20,
  };
}, 60_000);

afterAll(async () => {
  await lab?.close();
});

/** Every call an observer receives, in order. */
function recorder(): RunObserver & { calls: string[]; summary?: RunSummary } {
  const rec: RunObserver & { calls: string[]; summary?: RunSummary } = {
    calls: [],
    entryRead: () => void rec.calls.push('read'),
    inputFinished: () => void rec.calls.push('input done'),
    domainDone: (item) => void rec.calls.push(`done ${item.result.domain}`),
    finished: (summary) => {
      rec.calls.push('finished');
      rec.summary = summary;
    },
  };
  return rec;
}

describe('scanDomains: the run, through the package entry', () => {
  it('yields each lab domain with the recommendation the scenario expects, and tells its observers', async () => {
    const watcher = recorder();
    const items: RunItem[] = [];
    const run = scanDomains(
      SCENARIOS.map((s) => s.domain),
      { ...options, observers: [watcher] },
    );
    let next = await run.next();
    for (; !next.done; next = await run.next()) items.push(next.value);
    const summary = next.value;

    expect(items.map((i) => i.result.domain).sort()).toEqual(SCENARIOS.map((s) => s.domain).sort());
    for (const scenario of SCENARIOS) {
      const item = items.find((i) => i.result.domain === scenario.domain)!;
      expect([scenario.domain, item.recommendation.kind, item.recommendation.level]).toEqual([scenario.domain, scenario.expect.kind, scenario.expect.level]);
      // The run's recommendation is recommendPolicy's, not a second copy of the rules.
      expect(item.recommendation).toEqual(recommendPolicy(item.result));
    }
    const unknown = SCENARIOS.filter((s) => s.expect.kind === 'unknown').length;
    expect(summary).toMatchObject({ domains: SCENARIOS.length, unknown, internalErrors: 0, interrupted: false, regression: false });
    expect(watcher.summary).toEqual(summary);
    expect(watcher.calls.filter((c) => c === 'read')).toHaveLength(SCENARIOS.length);
    expect(watcher.calls.indexOf('input done')).toBeGreaterThan(watcher.calls.lastIndexOf('read'));
    expect(watcher.calls.at(-1)).toBe('finished');
  });

  it('scanDomain gives one domain the same result the run gives', async () => {
    const one = await scanDomain('daneta.test', options);
    const rec = recommendPolicy(one);
    expect(rec).toMatchObject({ kind: 'line', level: 'dane-only', summary: { code: 'dane-all-match' } });
    // A library user gets the facts and, when wanted, the CLI's words for them.
    expect(summaryText(rec)).toMatch(/^every MX host matches its DNSSEC-validated TLSA: mx\.daneta\.test matches its TLSA \(DANE-TA 2 /);
    expect(rec.warnings.map(warningText)).toEqual([]);
  });

  it('stops scheduling when its signal is aborted, and says it was interrupted', async () => {
    const controller = new AbortController();
    controller.abort();
    const summary = await runToEnd(scanDomains(['daneta.test', 'twomx.test'], { ...options, signal: controller.signal }));
    expect(summary).toMatchObject({ domains: 0, interrupted: true });
  });
});

describe('runs over injected parts and saved results', () => {
  /** One domain whose only MX offers no STARTTLS. */
  const resolver: Resolver = {
    mx: async () => ({ status: 'ok', records: [{ preference: 10, exchange: 'mx.a.test' }], cnames: [], authenticated: false }),
    a: async () => ({ status: 'ok', records: ['192.0.2.1'], cnames: [], authenticated: false }),
    aaaa: async () => ({ status: 'nodata', records: [], cnames: [], authenticated: false }),
  };

  it('takes the resolver and prober it is given (no network)', async () => {
    const probed: string[] = [];
    const deps = {
      resolver,
      probe: async (t: { address: string; hostname: string }) => {
        probed.push(t.address);
        return probeFor(t.address, t.hostname, 'no-starttls');
      },
    };
    const items: RunItem[] = [];
    for await (const item of scanDomains(['a.test'], { deps })) items.push(item);
    expect(probed).toEqual(['192.0.2.1']);
    expect(items.map((i) => [i.result.domain, i.recommendation.level])).toEqual([['a.test', 'may']]);
  });

  it('replays saved results with a diff: changes per domain, the regression in the summary', async () => {
    const today = async function* (): AsyncGenerator<DomainResult> {
      for await (const item of scanDomains(['a.test'], { deps: { resolver, probe: async (t) => probeFor(t.address, t.hostname, 'no-starttls') } })) yield item.result;
    };
    const yesterday = async function* (): AsyncGenerator<DomainResult> {
      for await (const item of scanDomains(['a.test'], { deps: { resolver, probe: async (t) => probeFor(t.address, t.hostname, 'untrusted') } })) yield item.result;
    };
    // Yesterday's run as the CLI saves it (NDJSON), read back the way --diff reads it.
    const ndjson = createRenderer('ndjson', { version: 'test', generatedAt: new Date().toISOString() });
    const lines: string[] = [];
    for await (const result of yesterday()) lines.push(ndjson.domain(result, recommendPolicy(result)));
    const file = join(mkdtempSync(join(tmpdir(), 'mxtls-library-')), 'yesterday.ndjson');
    // And a domain that today's run no longer has.
    writeFileSync(file, [...lines, lines[0]!.replaceAll('"a.test"', '"gone.test"')].join(''));
    const diff = new DiffSession(await readPrevious(file), 14);
    const items: RunItem[] = [];
    const gone: string[] = [];
    const run = replayRun(today(), { diff, observers: [{ gone: (change) => void gone.push(`${change.domain} ${change.type}`) }] });
    let next = await run.next();
    for (; !next.done; next = await run.next()) items.push(next.value);
    expect(items[0]!.changes.map((c) => c.type)).toContain('level-down');
    // Gone domains go to the observers one at a time; the summary counts them.
    expect(gone).toEqual(['gone.test domain-gone']);
    expect(next.value).toMatchObject({ domains: 1, regression: true, gone: 1 });
  });
});
