// The Postfix version a policy file is written for. Postfix rejects a policy lookup that carries
// an attribute it does not know ("invalid attribute name", smtp_tls_policy.c) and defers the
// mail, so what a line may carry depends on the reader: see postfix-attributes.ts. Pure.

export type PostfixVersion = readonly [major: number, minor: number, patch: number];

export interface PostfixTarget {
  /** As the header shows it: "3.10.13", "3.11-20250906", or the default range "2.11-3.9". */
  label: string;
  /** The oldest version the file must satisfy (a range is written for its lowest release). */
  version: PostfixVersion;
}

/**
 * Without a version (no --postfix, no local postconf): a file every Postfix from 2.11 (the first
 * with the dane levels) through 3.9 (the last without the TLSRPT attributes) accepts.
 */
export const DEFAULT_TARGET: PostfixTarget = { label: '2.11-3.9', version: [2, 11, 0] };

/** The oldest version mxtls writes smtp_tls_policy_maps for: `dane`/`dane-only` came in 2.11. */
export const OLDEST_TARGET: PostfixVersion = [2, 11, 0];

/** Postfix 3.10.0 reads policy_type, policy_domain, mx_host_pattern and policy_string (TLSRPT_README). */
export const STS_ATTRIBUTES_SINCE: PostfixVersion = [3, 10, 0];

/**
 * Postfix 3.10.5 and 3.11 connect only to MX hosts that match an mx_host_pattern, and match the
 * certificate against the MX host name instead of match=, when the line has policy_type=sts,
 * mx_host_pattern= and match= (smtp_tls_enforce_sts_mx_patterns = yes, the default;
 * smtp_tls_policy.c, SAFE_FOR_SMTP_TLS_ENF_STS_MX_PAT). Earlier 3.10.x use match= alone.
 */
export const STS_MX_PATTERNS_ENFORCED_SINCE: PostfixVersion = [3, 10, 5];

export function compareVersions(a: PostfixVersion, b: PostfixVersion): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function targetAtLeast(target: PostfixTarget, version: PostfixVersion): boolean {
  return compareVersions(target.version, version) >= 0;
}

/**
 * Postfix's mail_version: "3.10.13", "3.7.11", or a snapshot "3.11-20250906"; a bare "3.10"
 * means its first release (3.10.0). Anything else is refused, never guessed.
 */
const VERSION = /^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?(?:-\d{8}(?:-nonprod)?|-RC\d{1,2})?$/;

export type TargetParse = { ok: true; target: PostfixTarget } | { ok: false; reason: string };

export function parsePostfixTarget(text: string): TargetParse {
  const trimmed = text.trim();
  const m = VERSION.exec(trimmed);
  if (!m) return { ok: false, reason: `${JSON.stringify(trimmed.slice(0, 40))} is not a Postfix version (e.g. 3.7.11, 3.10.5)` };
  const version: PostfixVersion = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (compareVersions(version, OLDEST_TARGET) < 0) {
    return { ok: false, reason: `Postfix ${trimmed} is older than ${OLDEST_TARGET.slice(0, 2).join('.')} (no dane levels); use --format per-site for Postfix before 2.3` };
  }
  return { ok: true, target: { label: trimmed, version } };
}
