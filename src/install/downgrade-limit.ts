// --max-downgrades N|P%: how many lines a new policy table may lower against the installed one
// before `mxtls install` refuses it. Parsed apart from the install code so the CLI can check
// the option without loading it (see src/cli/main.ts).

export type DowngradeLimit = { kind: 'lines'; lines: number } | { kind: 'share'; percent: number };

/**
 * The default, 10% of the installed lines. A nightly rescan lowers a few lines for real (a
 * certificate not renewed, an MX host moved), and holding such a line back defers that
 * domain's mail, so the guard must let them through. One broken input lowers most lines at
 * once instead: a missing CA bundle turns every verify into encrypt, a resolver outage
 * without --previous drops every line. 10% lets the first kind pass and stops the second.
 */
export const DEFAULT_MAX_DOWNGRADES = '10%';

export function parseDowngradeLimit(text: string): { ok: true; limit: DowngradeLimit } | { ok: false; reason: string } {
  const share = /^(\d{1,3}(?:\.\d+)?)%$/.exec(text);
  if (share) {
    const percent = Number(share[1]);
    if (percent <= 100) return { ok: true, limit: { kind: 'share', percent } };
  } else if (/^\d{1,9}$/.test(text)) {
    return { ok: true, limit: { kind: 'lines', lines: Number(text) } };
  }
  return { ok: false, reason: `"${text}" is neither a number of lines (e.g. 20) nor a share of 0-100% (e.g. 10%)` };
}

/** True when `lowered` lines are more than the limit allows for a table of `installedLines`. */
export function exceedsLimit(limit: DowngradeLimit, lowered: number, installedLines: number): boolean {
  // A share is compared exactly, not rounded: 10% of 5 lines allows 0.5, so 1 lowered line is too many.
  const allowed = limit.kind === 'lines' ? limit.lines : (limit.percent / 100) * installedLines;
  return lowered > allowed;
}

export function describeLimit(limit: DowngradeLimit): string {
  return limit.kind === 'lines' ? `${limit.lines} ${limit.lines === 1 ? 'line' : 'lines'}` : `${limit.percent}% of the installed lines`;
}
