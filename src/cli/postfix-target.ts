// Which Postfix the policy file is written for: --postfix VERSION, else the local Postfix's
// mail_version (`postconf -h mail_version`), else DEFAULT_TARGET (2.11-3.9 all accept it).
// Asked only when a policy table is written, so other formats never spawn postconf.
import { execFile } from 'node:child_process';
import { DEFAULT_TARGET, parsePostfixTarget, type PostfixTarget } from '../policy/postfix-target.js';

/** postconf answers at once; a hung one must not hold the run. */
const POSTCONF_TIMEOUT_MS = 5000;

function localMailVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('postconf', ['-h', 'mail_version'], { timeout: POSTCONF_TIMEOUT_MS }, (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

/** The target, or an Error for a bad --postfix value (the CLI turns it into exit 2). */
export async function postfixTarget(option: string | undefined, warn: (text: string) => void): Promise<PostfixTarget> {
  if (option !== undefined) {
    const parsed = parsePostfixTarget(option);
    if (!parsed.ok) throw new Error(`--postfix: ${parsed.reason}`);
    return parsed.target;
  }
  const local = await localMailVersion();
  if (local === undefined) return DEFAULT_TARGET;
  const parsed = parsePostfixTarget(local);
  if (parsed.ok) return parsed.target;
  warn(`local postconf mail_version: ${parsed.reason}; writing for Postfix ${DEFAULT_TARGET.label}`);
  return DEFAULT_TARGET;
}
