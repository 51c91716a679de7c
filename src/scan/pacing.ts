// How hard a scan pushes: its own module because the CLI declares these defaults in its
// options, and declaring options (for --help, --version or another command) must not load
// the scanner with its DNS codec and TLS code.

export interface PacingOptions {
  /** Probes (SMTP connections) in flight at once. */
  concurrency: number;
  /** Probes in flight to one IP address. */
  perIp: number;
  /** Probes in flight to one MX provider (the registered domain of the MX host, provider.ts),
   *  over all its addresses. */
  perProvider: number;
  /** Seconds to wait before each retry of an address that gave a transient (4xx) answer; one
   *  retry per entry, none when empty (retry.ts). */
  retryDelays: readonly number[];
}

/**
 * Defaults (issue 16, see the README's "Pacing" for the figures). Probes spend their time
 * waiting on round trips, not on the CPU: behind RTTs of 20-300 ms (`npm run bench:rtt`, 1,500
 * addresses), 20 slots made 13 probes/s in steady state, 256 made 181/s at 3.5 ms of CPU per
 * probe (the WAN bench: 10/s and 57/s). With at most 2 connections per IP address and
 * 2 per provider, a high global limit speeds the run without any server seeing more of mxtls.
 * Retries: 30 s outlasts a busy server's 421 and a greylisting-style first-connection 4xx;
 * 120 s more covers a slower limit; two retries (each up to a quarter longer, retry.ts) end
 * every address about 3 minutes after its first answer, so a run's end waits that long at most
 * (a short list's wall time is then mostly this: `--retry-delays none` to compare tools).
 */
export const DEFAULT_PACING: PacingOptions = { concurrency: 256, perIp: 2, perProvider: 2, retryDelays: [30, 120] };

/** Domains resolved and waiting for probes at once, per probe slot: most of a domain's time
 *  is DNS or waiting for a shared probe, so more domains than probes keeps the slots busy. */
export const DOMAINS_PER_PROBE_SLOT = 4;

/** `--retry-delays 30,120` or `none`: seconds, each one a retry. */
export function parseRetryDelays(text: string): number[] {
  if (text.trim() === 'none' || text.trim() === '') return [];
  return text.split(',').map((part) => {
    const seconds = Number(part.trim());
    if (!(seconds >= 0) || part.trim() === '') throw new Error(`--retry-delays: not a number of seconds: ${JSON.stringify(part)}`);
    return seconds;
  });
}
