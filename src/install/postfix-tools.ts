// Runs Postfix's own tools (postmap, postfix) for `mxtls install`. Never throws: every run ends
// as an outcome the install step turns into "the installed map is unchanged, because ...".
import { execFile } from 'node:child_process';

export type PostfixTool = 'postmap' | 'postfix';

export interface ToolOptions {
  /** Postfix configuration directory, passed as `-c DIR` the way Postfix's tools take it. */
  configDir?: string;
  /** Written to the tool's stdin (the keys for `postmap -q -`). */
  input?: string;
}

export type ToolOutcome = { ok: true; stdout: string } | { ok: false; detail: string };

/**
 * Postfix installs its tools in command_directory, /usr/sbin on Debian, which cron's default
 * PATH (/usr/bin:/bin) leaves out: look there after the caller's PATH, which still comes first
 * (a test puts a stand-in `postfix` there so no real Postfix is ever reloaded).
 */
function searchPath(): string {
  return [process.env.PATH ?? '/usr/bin:/bin', '/usr/sbin', '/usr/local/sbin'].join(':');
}

/** postmap of a large table takes seconds; a tool still running after this is stuck. */
const TOOL_TIMEOUT_MS = 300_000;

export function runPostfixTool(tool: PostfixTool, args: readonly string[], options: ToolOptions = {}): Promise<ToolOutcome> {
  const argv = [...(options.configDir !== undefined ? ['-c', options.configDir] : []), ...args];
  const shown = [tool, ...argv].join(' ');
  return new Promise((resolve) => {
    const child = execFile(
      tool,
      argv,
      { env: { ...process.env, PATH: searchPath() }, timeout: TOOL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve({ ok: true, stdout });
        const said = stderr.trim().split('\n').slice(-3).join('; ');
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? `${tool} not found (is Postfix installed?)` : said || err.message;
        resolve({ ok: false, detail: `${shown}: ${why}` });
      },
    );
    // A tool that exits without reading stdin makes the write fail with EPIPE: its exit status says why.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}
