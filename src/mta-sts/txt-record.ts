// The `_mta-sts.<domain>` TXT record (RFC 8461 §3.1). Pure: strings in, a verdict out.
//
//   sts-text-record = sts-version 1*(sts-sep sts-field) [sts-sep]
//   sts-field       = sts-id / sts-extension
//   sts-version     = %s"v=STSv1"                      ; case-sensitive
//   sts-sep         = *WSP %x3B *WSP                   ; ";"
//   sts-id          = %s"id=" 1*32(ALPHA / DIGIT)
//   sts-extension   = sts-ext-name "=" sts-ext-value
//   sts-ext-name    = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
//   sts-ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)     ; VCHAR except ";" and "="
import { EXT_NAME, EXT_VALUE, beginsWithVersion, stepToField, takeField } from './txt-fields.js';

export interface StsExtension {
  name: string;
  value: string;
}

export interface StsTxtRecord {
  /** The policy instance id: 1-32 letters and digits. */
  id: string;
  /** Fields other than `id`, in order (ignored by senders, kept for reports). */
  extensions: StsExtension[];
}

export type StsRecordParse = { ok: true; record: StsTxtRecord } | { ok: false; reason: string };

/** What the RRset says: no MTA-STS record, a broken one, or exactly one valid record. */
export type StsTxtVerdict =
  | { status: 'none'; reason: string }
  | { status: 'invalid'; reason: string }
  | { status: 'ok'; record: StsTxtRecord; text: string };

const VERSION = 'v=STSv1';
const ID = /^[A-Za-z0-9]{1,32}$/;

export function isStsRecord(text: string): boolean {
  return beginsWithVersion(text, VERSION);
}

/** Parse one record's text (its strings already concatenated) strictly against the ABNF. */
export function parseStsRecord(text: string): StsRecordParse {
  if (!text.startsWith(VERSION)) return { ok: false, reason: `does not start with ${VERSION}` };
  let rest = text.slice(VERSION.length);
  let id: string | undefined;
  const extensions: StsExtension[] = [];
  let fields = 0;
  for (;;) {
    const step = stepToField(rest);
    if (step.kind === 'end') break;
    if (step.kind === 'error') return { ok: false, reason: step.reason };
    let field: string;
    [field, rest] = takeField(step.rest);
    const eq = field.indexOf('=');
    if (eq <= 0) return { ok: false, reason: `malformed field ${JSON.stringify(field.slice(0, 40))}` };
    const name = field.slice(0, eq);
    const value = field.slice(eq + 1);
    fields++;
    if (name === 'id') {
      if (!ID.test(value)) return { ok: false, reason: `id must be 1-32 letters or digits, got ${JSON.stringify(value.slice(0, 40))}` };
      id ??= value; // like policy fields, the first occurrence counts
      continue;
    }
    if (!EXT_NAME.test(name)) return { ok: false, reason: `malformed field name ${JSON.stringify(name.slice(0, 40))}` };
    if (!EXT_VALUE.test(value)) return { ok: false, reason: `malformed value for ${name}` };
    extensions.push({ name, value });
  }
  if (fields === 0 || id === undefined) return { ok: false, reason: 'no id field' };
  return { ok: true, record: { id, extensions } };
}

/**
 * Judge a whole TXT RRset (each record a list of character-strings): records that do not
 * begin with v=STSv1 are discarded; none left → no policy; more than one → invalid (§3.1:
 * senders then assume no policy, but the domain meant to publish one).
 */
export function evaluateStsTxt(rrset: readonly (readonly string[])[]): StsTxtVerdict {
  const texts = rrset.map((strings) => strings.join('')).filter(isStsRecord);
  if (texts.length === 0) return { status: 'none', reason: 'no v=STSv1 TXT record' };
  if (texts.length > 1) return { status: 'invalid', reason: `${texts.length} v=STSv1 TXT records (exactly one allowed)` };
  const text = texts[0]!;
  const parsed = parseStsRecord(text);
  if (!parsed.ok) return { status: 'invalid', reason: `TXT record: ${parsed.reason}` };
  return { status: 'ok', record: parsed.record, text };
}
