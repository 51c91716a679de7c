// vitest globalSetup: brings dist/ up to date with src/ and fixtures/ before any test runs, so
// the integration tests (which run the compiled CLI, bin/mxtls.js -> dist/) and the unit tests
// (which import src/ directly) always test the same code. Without it, a plain `npx vitest`
// after an edit ran the new source in unit tests and the old dist/ in integration tests.
// tsc is incremental (tsconfig.json: dist/.tsbuildinfo): when nothing changed it only checks.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsc = spawnSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`the build failed, so no test would see the current code:\n${tsc.stdout}${tsc.stderr}`);
}
