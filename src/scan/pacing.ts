// How hard a scan pushes: its own module because the CLI declares these defaults in its
// options, and declaring options (for --help, --version or another command) must not load
// the scanner with its DNS codec and TLS code.

export interface PacingOptions {
  /** Probes (SMTP connections) in flight at once. */
  concurrency: number;
  /** Probes in flight to one IP address. */
  perIp: number;
}

export const DEFAULT_PACING: PacingOptions = { concurrency: 20, perIp: 2 };

/** Domains resolved and waiting for probes at once, per probe slot: most of a domain's time
 *  is DNS or waiting for a shared probe, so more domains than probes keeps the slots busy. */
export const DOMAINS_PER_PROBE_SLOT = 4;
