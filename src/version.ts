import { existsSync, readFileSync } from 'node:fs';

// Read from package.json so a release bump cannot leave a stale version in policy headers.
// The file sits one level up from src/ when run from source (tests), two from dist/src/.
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    const url = new URL(rel, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'mxtls' && pkg.version) return pkg.version;
  }
  return '0.0.0';
}

export const VERSION: string = readVersion();
