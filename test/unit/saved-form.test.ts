// The compact saved form (issue 16 item 3): records once per file, lines that do not grow with
// the number of domains sharing an MX, and the one reader giving back what was written.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toSnapshot } from '../../src/diff/snapshot.js';
import { readResults, readResultSummaries, type ResultsProblem } from '../../src/input/read-results.js';
import { createNdjsonWriter, ndjsonLine } from '../../src/output/ndjson.js';
import type { AddressProbe, DomainResult } from '../../src/types.js';
import { address, cert, host, probe, rec, sampleItems, scanned, tls } from '../helpers/output-fixtures.js';
import { resultValidators } from '../helpers/result-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'mxtls-saved-form-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(text: string): string {
  const path = join(dir, `f${files++}.ndjson`);
  writeFileSync(path, text);
  return path;
}

async function readAll(path: string, summaries = false): Promise<{ results: unknown[]; problems: ResultsProblem[] }> {
  const problems: ResultsProblem[] = [];
  const results: unknown[] = [];
  for await (const r of (summaries ? readResultSummaries : readResults)(path, (p) => problems.push(p))) results.push(r);
  return { results, problems };
}

/** A provider: two MX hosts, four addresses, one chain of two certificates with their DER. */
function providerProbes() {
  const chain = [cert({ der: 'AAEC'.repeat(300) }), cert({ sha256Fingerprint: 'cc'.repeat(32), subject: 'CN=Lab Intermediate CA', der: 'AwQF'.repeat(250) })];
  const withTranscript = (p: ReturnType<typeof probe>) => ({
    ...p,
    // Each address's session took its own time: four probes, four records.
    durationMs: p.address.length * 10,
    tls: tls({ chain }),
    transcript: Array.from({ length: 20 }, (_, i) => ({ dir: i % 2 ? ('S' as const) : ('C' as const), text: `line ${i} of the session with ${p.address}` })),
  });
  return [
    [withTranscript(probe('mx1.provider.example', '192.0.2.1')), withTranscript(probe('mx1.provider.example', '2001:db8::1', { family: 6 }))],
    [withTranscript(probe('mx2.provider.example', '192.0.2.2')), withTranscript(probe('mx2.provider.example', '2001:db8::2', { family: 6 }))],
  ] as const;
}

function eachProbe(result: DomainResult, change: (p: AddressProbe) => AddressProbe): DomainResult {
  return { ...result, hosts: result.hosts.map((h) => ({ ...h, addresses: h.addresses.map((a) => ({ ...a, probe: change(a.probe) })) })) };
}

/** Every probe with a transcript of its own. */
const withSessions = (result: DomainResult) => eachProbe(result, (p) => ({ ...p, transcript: [{ dir: '*', text: `connecting to ${p.address} port ${p.port}` }] }));

/** What the compact form keeps of a result: all but the transcripts of probes that did not fail. */
const compactKept = (result: DomainResult) => eachProbe(result, (p) => (p.failure ? p : { ...p, transcript: [] }));

const name = (i: number) => `customer${String(i).padStart(6, '0')}.example`;

function customer(i: number, probes: ReturnType<typeof providerProbes>): DomainResult {
  const hosts = probes.map((ps, h) => host(`mx${h + 1}.provider.example`, 10 * (h + 1), ps.map((p) => address('verified', p))));
  return scanned(name(i), hosts);
}

describe('compact NDJSON', () => {
  it('a line does not grow with the number of domains sharing the MX hosts; each record is written once', () => {
    for (const shared of [true, false]) {
      const write = createNdjsonWriter();
      // shared: one probe object per address, as the probe pool hands out; otherwise equal copies
      // (results read back from a file, a resumed run): the content key makes them one record.
      const one = providerProbes();
      const texts = Array.from({ length: 1000 }, (_, i) => write(customer(i, shared ? one : providerProbes()), rec(name(i))));
      const lines = texts.flatMap((t) => t.trimEnd().split('\n'));
      const records = lines.filter((l) => l.includes('"record":'));
      // 4 probes and 2 certificates, each once, all before the first domain line.
      expect(records).toHaveLength(6);
      expect(texts[0]!.trimEnd().split('\n')).toHaveLength(7);
      const domainLines = texts.map((t) => t.trimEnd().split('\n').at(-1)!);
      const sizes = new Set(domainLines.map((l) => Buffer.byteLength(l)));
      // Names of equal length (customer000000 ...): every line is the same size, the 1000th as the 1st.
      expect(sizes.size).toBe(1);
      const [size] = [...sizes];
      const whole = Buffer.byteLength(ndjsonLine(customer(0, one), rec(name(0))));
      // And far smaller than the whole line, which carries the transcripts and the DER.
      expect(size!).toBeLessThan(whole / 3);
      for (const l of lines) expect(resultValidators().line(JSON.parse(l))).toEqual([]);
    }
  });

  it('reads back exactly what was written: whole results from records, or the lines as written', async () => {
    const write = createNdjsonWriter();
    const probes = providerProbes();
    const items = [...sampleItems(), ...[0, 1, 2].map((i) => ({ result: customer(i, probes), rec: rec(name(i)) }))].map(({ result, rec: r }) => ({ result: withSessions(result), rec: r }));
    const path = file(items.map(({ result, rec: r }) => write(result, r)).join(''));
    const whole = await readAll(path);
    expect(whole.problems).toEqual([]);
    expect(whole.results).toEqual(items.map(({ result, rec: r }) => JSON.parse(ndjsonLine(compactKept(result), r))));
    // The failed probe's transcript is kept, and it is not empty (so the line above can fail).
    expect(JSON.stringify(whole.results)).toContain('connecting to 192.0.2.30 port 25');
    // Summaries (for --diff and --previous): no record kept, and the same snapshots as the whole results.
    const summaries = await readAll(path, true);
    expect(summaries.problems).toEqual([]);
    const snap = (r: unknown) => toSnapshot(r as DomainResult, (r as { policy: ReturnType<typeof rec> }).policy);
    expect(summaries.results.map(snap)).toEqual(whole.results.map(snap));
    expect(JSON.stringify(summaries.results)).not.toContain('"transcript"');
  });

  it('a line whose probe record is missing is reported with its number and skipped', async () => {
    const write = createNdjsonWriter();
    const probes = providerProbes();
    const [first, second] = [write(customer(1, probes), rec(name(1))), write(customer(2, probes), rec(name(2)))];
    const withoutRecords = first.trimEnd().split('\n').at(-1)!;
    const { results, problems } = await readAll(file(`${withoutRecords}\n${first}${second}`));
    expect(problems).toEqual([{ line: 1, error: expect.stringMatching(/^no probe record [0-9a-f]{64} before this line$/) }]);
    expect(results.map((r) => (r as DomainResult).domain)).toEqual(['customer000001.example', 'customer000002.example']);
  });
});
