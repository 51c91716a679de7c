// Golden files pin the JSON schema: any change to DomainResult's shape or to the report
// envelope shows up as a diff here. After an intended change (and a SCHEMA_VERSION bump
// when a field changes meaning or shape), regenerate with:
//   UPDATE_GOLDEN=1 npx vitest run test/unit/output/json.test.ts
// and review the diff of fixtures/golden/ before committing.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/output/json.js';
import { ndjsonLine } from '../../../src/output/ndjson.js';
import { SCHEMA_VERSION } from '../../../src/types.js';
import { address, host, probe, rec, sampleItems, scanned } from '../../helpers/output-fixtures.js';

const GOLDEN = new URL('../../../fixtures/golden/', import.meta.url);
const meta = {
  version: '1.2.0',
  generatedAt: new Date('2026-11-21T02:00:00Z'),
  options: { partial: 'cap', mixed: 'weakest', port: 25, resolver: '127.0.0.1:53' },
};

function golden(name: string, actual: string): string {
  const path = fileURLToPath(new URL(name, GOLDEN));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  return readFileSync(path, 'utf8');
}

describe('JSON report', () => {
  it('matches fixtures/golden/report.json', () => {
    const text = renderJson(meta, sampleItems());
    expect(text).toBe(golden('report.json', text));
  });

  it('has the envelope, and each result is the DomainResult plus its policy', () => {
    const items = sampleItems();
    const report = JSON.parse(renderJson(meta, items));
    expect(report).toMatchObject({ schema: SCHEMA_VERSION, generator: 'mxtls 1.2.0', generatedAt: '2026-11-21T02:00:00.000Z', options: meta.options });
    expect(report.results).toHaveLength(items.length);
    expect(report.results[0]).toEqual(JSON.parse(JSON.stringify({ ...items[0]!.result, policy: items[0]!.rec })));
  });
});

describe('NDJSON', () => {
  it('matches fixtures/golden/report.ndjson, one line per domain', () => {
    const text = sampleItems().map((item) => ndjsonLine(item.result, item.rec)).join('');
    expect(text).toBe(golden('report.ndjson', text));
    expect(text.split('\n')).toHaveLength(sampleItems().length + 1);
  });

  it('a banner with line breaks of every kind still makes exactly one line', () => {
    const banner = 'mx ESMTP\nfake\r\u0085\u2028\u2029end';
    const result = scanned('example.com', [host('mx.example.com', 10, [address('verified', probe('mx.example.com', '192.0.2.1', { greeting: { code: 220, lines: [banner] } }))])]);
    const line = ndjsonLine(result, rec('example.com', { level: 'verify' }));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
    expect(JSON.parse(line).hosts[0].addresses[0].probe.greeting.lines[0]).toBe(banner);
  });
});
