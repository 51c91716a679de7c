// `mxtls install`: put a new policy table in place of the installed one, as one step that either
// happens whole or not at all. postmap(1) rebuilds a table in place, so a daemon opening it
// meanwhile (or a postmap that dies halfway) sees a half-built map; instead everything is built
// beside the target under temporary names (src/output/atomic-file.ts), checked with Postfix's
// own reader, and only then renamed over the installed files: rename(2) replaces a file in one
// step, and Postfix's daemons notice the new file and restart ("table ... has changed").
//
// Order: validate -> downgrade guard -> write the source to a temp name -> postmap the temp ->
// read keys back with `postmap -q` -> back up the installed files -> rename the map, then the
// source (so the map is never older than its source, which Postfix warns about) -> reload.
// Any failure before the renames removes the temporary files and leaves the installed ones
// byte for byte as they were.
import { copyFile, readFile, rename, rm, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { createAtomicWriter, tempPathFor, type AtomicWriter } from '../output/atomic-file.js';
import { sanitizeText } from '../output/sanitize.js';
import { describeFsError } from '../util/fs-error.js';
import { exceedsLimit, type DowngradeLimit } from './downgrade-limit.js';
import { findDowngrades, type Downgrade } from './downgrades.js';
import { builtMapPath, type MapType } from './map-types.js';
import { keyId, readPolicySource, type PolicyEntry, type SourceProblem } from './policy-source.js';
import { runPostfixTool, type ToolOutcome } from './postfix-tools.js';

export interface InstallOptions {
  /** The installed table's source file (what smtp_tls_policy_maps names, without the type). */
  map: string;
  type: MapType;
  maxDowngrades: DowngradeLimit;
  /** Install even when more lines would be lowered than maxDowngrades allows. */
  force?: boolean;
  /** `postfix reload` once the table is in place. */
  reload?: boolean;
  /** Postfix configuration directory, `-c DIR` for postmap and postfix. */
  configDir?: string;
}

export type InstallStep = 'read-installed' | 'write' | 'postmap' | 'verify' | 'backup' | 'rename';

export type InstallOutcome =
  | { status: 'invalid'; problems: SourceProblem[] }
  | { status: 'refused'; downgrades: Downgrade[]; installedLines: number }
  | { status: 'failed'; step: InstallStep; detail: string }
  | {
      status: 'installed';
      lines: number;
      installedLines: number;
      downgrades: Downgrade[];
      /** How many keys were read back with `postmap -q` and matched. */
      checked: number;
      /** The backup of the previous source (its map beside it), when there was one. */
      backup?: string;
      /** Present when a reload was asked for. */
      reload?: ToolOutcome;
    };

/** Keys read back: enough to catch a wrong or truncated map, few enough for one quick postmap. */
const MAX_CHECKED_KEYS = 100;

/** Up to `max` entries spread over the table, first and last included. */
function sample(entries: readonly PolicyEntry[], max: number): PolicyEntry[] {
  if (entries.length <= max) return [...entries];
  const step = (entries.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => entries[Math.round(i * step)]!);
}

class StepError extends Error {
  constructor(
    readonly step: InstallStep,
    detail: string,
  ) {
    super(detail);
  }
}

/** `postmap -q - TYPE:FILE` for the sampled keys; each value must equal the file's line. */
async function verify(type: MapType, file: string, entries: readonly PolicyEntry[], configDir: string | undefined): Promise<number> {
  const keys = sample(entries, MAX_CHECKED_KEYS);
  if (keys.length === 0) return 0;
  const query = await runPostfixTool('postmap', ['-q', '-', `${type}:${file}`], { configDir, input: keys.map((e) => `${e.key}\n`).join('') });
  if (!query.ok) throw new StepError('verify', query.detail);
  const found = new Map<string, string>();
  for (const line of query.stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) found.set(keyId(line.slice(0, tab)), line.slice(tab + 1));
  }
  for (const entry of keys) {
    const got = found.get(keyId(entry.key));
    if (got !== entry.value) {
      const said = got === undefined ? 'nothing' : `"${sanitizeText(got, 120)}"`;
      throw new StepError('verify', `postmap -q ${entry.key} ${type}:... returned ${said}, line ${entry.line} says "${sanitizeText(entry.value, 120)}"`);
    }
  }
  return keys.length;
}

async function readInstalled(path: string): Promise<{ text: string; mode: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, mode: info.mode & 0o7777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StepError('read-installed', `cannot read ${path}: ${describeFsError(error)}`);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Copies waiting under temporary names, renamed into place together once all are made. */
async function stageCopies(pairs: readonly [from: string, to: string][], temps: string[]): Promise<[string, string][]> {
  const staged: [string, string][] = [];
  for (const [from, to] of pairs) {
    const temp = tempPathFor(to);
    temps.push(temp);
    await copyFile(from, temp, constants.COPYFILE_EXCL);
    staged.push([temp, to]);
  }
  return staged;
}

export async function installPolicyMap(text: string, options: InstallOptions): Promise<InstallOutcome> {
  const next = readPolicySource(text, 'strict');
  if (next.problems.length > 0) return { status: 'invalid', problems: next.problems };

  const temps: string[] = [];
  let writer: AtomicWriter | undefined;
  try {
    const installed = await readInstalled(options.map);
    const old = installed ? readPolicySource(installed.text, 'lenient').entries : [];
    const downgrades = findDowngrades(old, next.entries);
    if (!options.force && exceedsLimit(options.maxDowngrades, downgrades.length, old.length)) {
      return { status: 'refused', downgrades, installedLines: old.length };
    }

    writer = await createAtomicWriter(options.map, { mode: installed?.mode ?? 0o644 }).catch((error: unknown) => {
      throw new StepError('write', `cannot write a new file beside ${options.map}: ${describeFsError(error)}`);
    });
    writer.write(text);
    await writer.drained();
    // drained() does not report a failed write (commit() would, too late: after postmap had
    // built a map from a short file). The size says whether every byte is there.
    const written = (await stat(writer.tempPath)).size;
    if (written !== Buffer.byteLength(text)) throw new StepError('write', `could write only ${written} of ${Buffer.byteLength(text)} bytes beside ${options.map} (disk full?)`);
    const builtTemp = builtMapPath(options.type, writer.tempPath);
    if (builtTemp !== undefined) {
      temps.push(builtTemp);
      const built = await runPostfixTool('postmap', [`${options.type}:${writer.tempPath}`], { configDir: options.configDir });
      if (!built.ok) throw new StepError('postmap', built.detail);
    }
    const checked = await verify(options.type, writer.tempPath, next.entries, options.configDir);

    const builtMap = builtMapPath(options.type, options.map);
    const backup = `${options.map}.bak`;
    if (installed) {
      // The backup is a table of its own (TYPE:PATH.bak): source first, so its map is the newer file.
      const pairs: [string, string][] = [[options.map, backup]];
      const backupMap = builtMapPath(options.type, backup);
      if (builtMap !== undefined && backupMap !== undefined && (await exists(builtMap))) pairs.push([builtMap, backupMap]);
      try {
        for (const [temp, to] of await stageCopies(pairs, temps)) await rename(temp, to);
      } catch (error) {
        throw new StepError('backup', `cannot copy ${options.map} to ${backup}: ${describeFsError(error)}`);
      }
    }

    try {
      if (builtTemp !== undefined && builtMap !== undefined) await rename(builtTemp, builtMap);
    } catch (error) {
      throw new StepError('rename', `cannot rename the new map to ${builtMap}: ${describeFsError(error)}`);
    }
    try {
      await writer.commit();
    } catch (error) {
      // The new map is in place but its source is not: put the previous map back (or none).
      await restoreMap(options.type, options.map, installed !== undefined ? backup : undefined, temps);
      throw new StepError('rename', `cannot rename the new source to ${options.map}: ${describeFsError(error)}`);
    }
    writer = undefined;

    const reload = options.reload ? await runPostfixTool('postfix', ['reload'], { configDir: options.configDir }) : undefined;
    return {
      status: 'installed',
      lines: next.entries.length,
      installedLines: old.length,
      downgrades,
      checked,
      ...(installed ? { backup } : {}),
      ...(reload ? { reload } : {}),
    };
  } catch (error) {
    if (error instanceof StepError) return { status: 'failed', step: error.step, detail: error.message };
    throw error;
  } finally {
    await writer?.abort();
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
  }
}

/** After a failed source rename: the map that was there before (from the backup just made), or none. */
async function restoreMap(type: MapType, map: string, backup: string | undefined, temps: string[]): Promise<void> {
  const builtMap = builtMapPath(type, map);
  if (builtMap === undefined) return;
  const backupMap = backup === undefined ? undefined : builtMapPath(type, backup);
  try {
    if (backupMap !== undefined && (await exists(backupMap))) {
      for (const [temp, to] of await stageCopies([[backupMap, builtMap]], temps)) await rename(temp, to);
    } else {
      await rm(builtMap, { force: true });
    }
  } catch {
    // Best effort: the caller reports the failed rename, which is what needs a person.
  }
}
