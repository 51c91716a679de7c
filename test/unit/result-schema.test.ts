import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateResultSchema, repositoryRoot, RESULT_SCHEMA_FILE } from '../../fixtures/result-schema.js';
import { resultValidators } from '../helpers/result-schema.js';

const root = repositoryRoot();

describe('schema/result.schema.json', () => {
  it('is what the types generate today (run `npm run schema` after changing them)', { timeout: 60_000 }, () => {
    expect(readFileSync(join(root, RESULT_SCHEMA_FILE), 'utf8')).toBe(generateResultSchema());
  });

  it('describes itself and its main types', () => {
    const schema = JSON.parse(readFileSync(join(root, RESULT_SCHEMA_FILE), 'utf8'));
    expect(schema.description).toMatch(/--format json/);
    for (const name of ['JsonReport', 'DomainReport', 'HostResult', 'AddressResult', 'AddressProbe', 'PolicyRecommendation']) {
      expect(schema.definitions[name]?.description, name).toBeTruthy();
    }
  });

  it('holds for the golden files, line by line and as a document', () => {
    const { line, document } = resultValidators();
    const lines = readFileSync(join(root, 'fixtures/golden/report.ndjson'), 'utf8').split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const text of lines) expect(line(JSON.parse(text)), text.slice(0, 60)).toEqual([]);
    expect(document(JSON.parse(readFileSync(join(root, 'fixtures/golden/report.json'), 'utf8')))).toEqual([]);
  });

  it('refuses what it should (the check can fail)', () => {
    const { line } = resultValidators();
    const first = JSON.parse(readFileSync(join(root, 'fixtures/golden/report.ndjson'), 'utf8').split('\n')[0]!);
    delete first.hosts[0].addresses[0].probe;
    expect(line(first)).not.toEqual([]);
  });
});
