// The layer order of src/ (.dependency-cruiser.cjs) holds: no module imports from a layer above
// its own, no import cycle, no module outside the layers. dependency-cruiser reads the imports
// (type-only ones too) the way TypeScript resolves them; its CLI runs in the repository root,
// since the config's paths are relative to it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// The package's exports hide its bin and package.json, so the CLI is named by its path.
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

describe('architecture layers', () => {
  it('src/ imports only from its own layer or below, without cycles', () => {
    const run = spawnSync(process.execPath, [cli, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.stdout, run.stderr).not.toBe('');
    const report = JSON.parse(run.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
    expect(report.summary.totalCruised).toBeGreaterThan(100);
    const violations = report.summary.violations.map((v) =>
      v.cycle ? `${v.rule.name}: ${v.from} -> ${v.cycle.map((c) => c.name).join(' -> ')}` : `${v.rule.name}: ${v.from} -> ${v.to}`,
    );
    expect(violations).toEqual([]);
  }, 60_000);
});
