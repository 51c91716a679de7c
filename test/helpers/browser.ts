// Debian's chromium, driven by playwright-core (no browser download: executablePath points at
// the system binary that scripts/ensure-debian-packages.sh installs). Missing outside CI: the
// browser tests skip and say why; on CI (CI set) they must run, so a missing binary fails.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'];

/** The chromium binary, or why the browser tests cannot run here. */
export function findChromium(): { path: string } | { missing: string } {
  const path = [process.env.MXTLS_CHROMIUM, ...CANDIDATES].find((p): p is string => p !== undefined && existsSync(p));
  if (path) return { path };
  const missing = `no chromium at ${CANDIDATES.join(' or ')} (install Debian's chromium: scripts/ensure-debian-packages.sh as root)`;
  if (process.env.CI) throw new Error(`browser tests cannot run on CI: ${missing}`);
  return { missing };
}

export async function launchChromium(path: string): Promise<Browser> {
  // Chromium's sandbox needs user namespaces a root process in a container may not get.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: path, headless: true, args });
}
