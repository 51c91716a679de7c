// Input files are checked before any output is written: a missing results file must not leave
// a policy header on stdout (or a half-built page) before the error.
import { access, constants } from 'node:fs/promises';

/** Rejects with Node's error (its path and code) for the first file that cannot be read. */
export async function assertReadable(paths: ReadonlyArray<string | undefined>): Promise<void> {
  for (const path of paths) if (path !== undefined && path !== '-') await access(path, constants.R_OK);
}
