// The two forms of NDJSON output (`--detail`), apart from ndjson.ts so the CLI can declare the
// option without loading the writer (src/cli/main.ts: a command's code loads when it runs).
export const DETAILS = ['compact', 'full'] as const;
export type Detail = (typeof DETAILS)[number];
