// postmap with a configuration of its own: an empty main.cf in a temporary directory, so the
// tests never read the machine's /etc/postfix, which may be missing (Debian's "No configuration"
// install), half-edited, or name map types this test does not use. Postfix's built-in defaults
// are all postmap needs to build and query a hash: or texthash: table.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function postmap(args: readonly string[]): SpawnSyncReturns<string> {
  const configDir = mkdtempSync(join(tmpdir(), 'mxtls-postfix-config-'));
  try {
    writeFileSync(join(configDir, 'main.cf'), '');
    return spawnSync('postmap', ['-c', configDir, ...args], { encoding: 'utf8' });
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}
