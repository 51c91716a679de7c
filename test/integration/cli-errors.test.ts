// A newcomer's mistakes, through the real CLI: a file that is not there, a directory that is not
// there. The message names the user's file in words (never Node's "ENOENT: ..." or one of our
// temporary names), nothing is written to stdout first, and the exit status is 2.
import { describe, expect, it } from 'vitest';
import { cli } from '../../fixtures/cli-runner.js';

describe('the CLI on files that cannot be used', () => {
  it.each([
    ['policy, results missing', ['policy', '/nonexistent/today.ndjson'], '/nonexistent/today.ndjson: no such file or directory'],
    ['report, results missing', ['report', '/nonexistent/today.ndjson', '-o', '/tmp/mxtls-report.html'], '/nonexistent/today.ndjson: no such file or directory'],
    ['scan, domain list missing', ['scan', '-f', '/nonexistent/domains.txt'], '/nonexistent/domains.txt: no such file or directory'],
    ['scan, --diff file missing', ['scan', '--diff', '/nonexistent/y.ndjson', 'a.test'], '/nonexistent/y.ndjson: no such file or directory'],
    ['scan, --output in a missing directory', ['scan', '--resolver', '127.0.0.1:9', '--output', '/nonexistent/x.ndjson', 'a.test'], 'cannot write /nonexistent/x.ndjson: no such file or directory'],
  ])('%s', async (_what, args, message) => {
    const run = await cli(args);
    expect(run.stderr.trim()).toBe(`mxtls: ${message}`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });
});
