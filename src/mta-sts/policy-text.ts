// The MTA-STS policy body (RFC 8461 §3.2). Pure and strict: a policy that does not follow the
// grammar is invalid, with the reason and the line it was found on.
//
//   sts-policy-record = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP) [sts-policy-term]
//   sts-policy-term   = LF / CRLF
//   field             = name ":" *WSP value
//   version: %s"STSv1"   mode: %s"testing" / %s"enforce" / %s"none"
//   mx: ["*."] Domain (RFC 5321, A-labels)   max_age: 1*10DIGIT, at most 31557600
//   extension name: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
//
// Field names are case-sensitive (so "Mode:" is an unknown extension, and mode is missing).
// Unknown fields are ignored; when a field other than mx repeats, the first one counts.
// mx is required unless the mode is none.

export type StsMode = 'enforce' | 'testing' | 'none';

export interface StsPolicy {
  version: 'STSv1';
  mode: StsMode;
  /** Patterns as published, lower case: host names, or "*." + host name. */
  mx: string[];
  /** Seconds, 0..31557600. */
  maxAge: number;
  /** Every line as published, without its terminator: what TLSRPT reports as the policy-string. */
  lines: string[];
}

export type StsPolicyParse = { ok: true; policy: StsPolicy } | { ok: false; reason: string; line?: number };

export const MAX_AGE_LIMIT = 31_557_600;

const FIELD = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,31}):[ \t]*(.*?)[ \t]*$/s;
/** Extension values: visible ASCII or non-ASCII text, inner spaces allowed, no controls. */
const EXT_VALUE = /^[^\x00-\x20\x7f](?:[^\x00-\x1f\x7f]*[^\x00-\x20\x7f])?$/u;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** An RFC 5321 Domain in A-labels (LDH labels of 1-63, no trailing dot), at most 253 long. */
function isDomain(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}

/** `host` or `*.host`, as §3.2 allows in mx fields. */
export function isMxPattern(pattern: string): boolean {
  return isDomain(pattern.startsWith('*.') ? pattern.slice(2) : pattern);
}

export function parseStsPolicy(text: string): StsPolicyParse {
  // A byte order mark is not in the grammar, but it is an encoding artefact, not content.
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // the optional final terminator
  let version: string | undefined;
  let mode: StsMode | undefined;
  let maxAge: number | undefined;
  const mx: string[] = [];
  for (const [index, line] of lines.entries()) {
    const at = index + 1;
    if (line === '') return { ok: false, reason: 'empty line', line: at };
    const field = FIELD.exec(line);
    if (!field) return { ok: false, reason: 'not a "name: value" field', line: at };
    const [, name = '', value = ''] = field;
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return { ok: false, reason: `control character in ${name}`, line: at };
    switch (name) {
      case 'version':
        if (value !== 'STSv1') return { ok: false, reason: `version must be STSv1, got ${JSON.stringify(value)}`, line: at };
        version ??= value;
        break;
      case 'mode':
        if (value !== 'enforce' && value !== 'testing' && value !== 'none') {
          return { ok: false, reason: `mode must be enforce, testing or none, got ${JSON.stringify(value)}`, line: at };
        }
        mode ??= value;
        break;
      case 'max_age': {
        if (!/^[0-9]{1,10}$/.test(value)) return { ok: false, reason: `max_age must be 1-10 digits, got ${JSON.stringify(value)}`, line: at };
        const seconds = Number(value);
        if (seconds > MAX_AGE_LIMIT) return { ok: false, reason: `max_age ${seconds} is over ${MAX_AGE_LIMIT}`, line: at };
        maxAge ??= seconds;
        break;
      }
      case 'mx':
        if (!isMxPattern(value)) return { ok: false, reason: `mx ${JSON.stringify(value)} is not a host name or *.host name`, line: at };
        mx.push(value.toLowerCase());
        break;
      default:
        if (!EXT_VALUE.test(value)) return { ok: false, reason: `malformed value for ${name}`, line: at };
    }
  }
  if (version === undefined) return { ok: false, reason: 'no version field' };
  if (mode === undefined) return { ok: false, reason: 'no mode field' };
  if (maxAge === undefined) return { ok: false, reason: 'no max_age field' };
  if (mx.length === 0 && mode !== 'none') return { ok: false, reason: `no mx field (required in mode ${mode})` };
  return { ok: true, policy: { version: 'STSv1', mode, mx: [...new Set(mx)], maxAge, lines } };
}
