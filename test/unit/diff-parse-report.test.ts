import { describe, expect, it } from 'vitest';
import { parseReportLine } from '../../src/diff/parse-report.js';
import { toSnapshot } from '../../src/diff/snapshot.js';
import { ndjsonLine } from '../../src/output/ndjson.js';
import { sampleItems } from '../helpers/output-fixtures.js';

/** The NDJSON line of the first sample domain (example.com, verify), as an object to damage. */
function line(): Record<string, any> {
  const [first] = sampleItems();
  return JSON.parse(ndjsonLine(first!.result, first!.rec));
}

function damaged(change: (l: Record<string, any>) => void): string {
  const l = line();
  change(l);
  return JSON.stringify(l);
}

describe('parseReportLine', () => {
  it.each(sampleItems().map((item) => [item.rec.domain, item] as const))('reads back %s as the snapshot the result gives', (_d, { result, rec }) => {
    const parsed = parseReportLine(ndjsonLine(result, rec));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(toSnapshot(parsed.source, parsed.policy)).toEqual(toSnapshot(result, rec));
  });

  it.each([
    ['not JSON', '{"schema":1,', 'not JSON'],
    ['not an object', '[1,2]', 'line: not an object'],
    ['no schema', damaged((l) => delete l.schema), 'schema: not a number'],
    ['an empty domain', damaged((l) => (l.domain = '')), 'domain: empty'],
    ['a bad start time', damaged((l) => (l.startedAt = 'yesterday')), 'startedAt: not a date'],
    ['an unknown status', damaged((l) => (l.status = 'great')), 'status: unknown value "great"'],
    ['hosts not a list', damaged((l) => (l.hosts = {})), 'hosts: not an array'],
    ['an unknown observation', damaged((l) => (l.hosts[1].addresses[0].observation = 'fine')), 'hosts[1].addresses[0].observation: unknown value "fine"'],
    ['an address that is not a string', damaged((l) => (l.hosts[0].addresses[0].probe.address = 1)), 'hosts[0].addresses[0].probe.address: not a string'],
    ['an unknown failure kind', damaged((l) => (l.hosts[0].addresses[0].probe.failure = { kind: 'odd' })), 'hosts[0].addresses[0].probe.failure.kind: unknown value "odd"'],
    ['a fingerprint with colons', damaged((l) => (l.hosts[0].addresses[0].probe.tls.chain[0].sha256Fingerprint = 'aa:bb')), 'hosts[0].addresses[0].probe.tls.chain[0].sha256Fingerprint: not 64 hex digits'],
    ['no trust verdict', damaged((l) => delete l.hosts[0].addresses[0].probe.tls.trust), 'hosts[0].addresses[0].probe.tls.trust: not an object'],
    ['no policy', damaged((l) => delete l.policy), 'policy: not an object'],
    ['a line without its level', damaged((l) => delete l.policy.level), 'policy.level: missing'],
    ['an unknown level', damaged((l) => (l.policy.level = 'paranoid')), 'policy.level: unknown value "paranoid"'],
    ['a carried-over date that is not a string', damaged((l) => (l.policy.carriedOverFrom = 1)), 'policy.carriedOverFrom: not a string'],
    ['an attribute that is not a string', damaged((l) => (l.policy.attributes = { match: 1 })), 'policy.attributes.match: not a string'],
  ])('refuses %s', (_name, text, error) => {
    expect(parseReportLine(text)).toEqual({ ok: false, error });
  });

  it('keeps a line\'s attributes for --previous', () => {
    const parsed = parseReportLine(damaged((l) => (l.policy.attributes = { match: 'mx.example.com' })));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(toSnapshot(parsed.source, parsed.policy).line?.attributes).toEqual({ match: 'mx.example.com' });
  });

  it('reads a carried-over line as carried over', () => {
    const parsed = parseReportLine(damaged((l) => (l.policy.carriedOverFrom = '2026-11-20T02:00:00.000Z')));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(toSnapshot(parsed.source, parsed.policy)).toMatchObject({ kind: 'line', level: 'verify', carriedOver: true });
  });

  it('names the schema of a result from another version', () => {
    expect(parseReportLine(damaged((l) => (l.schema = 2)))).toEqual({ ok: false, error: 'schema 2', schema: 2 });
  });
});
