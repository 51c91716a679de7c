// The field syntax that the MTA-STS record (RFC 8461 §3.1) and the TLS-RPT record (RFC 8460 §3)
// share: a case-sensitive version, then fields separated by *WSP ";" *WSP, an optional trailing
// separator, and extension fields of one grammar. Pure; each record's parser keeps its own fields.

/** An extension field's name: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."). */
export const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
/** An extension field's value: 1*(%x21-3A / %x3C / %x3E-7E), VCHAR except ";" and "=". */
export const EXT_VALUE = /^[\x21-\x3a\x3c\x3e-\x7e]+$/;

const SEP = /^[ \t]*;[ \t]*/;

/** A record "begins with" its version when the version is followed by a separator or nothing. */
export function beginsWithVersion(text: string, version: string): boolean {
  return text.startsWith(version) && /^(?:[ \t]*;|[ \t]*$)/.test(text.slice(version.length));
}

export type FieldStep = { kind: 'field'; rest: string } | { kind: 'end' } | { kind: 'error'; reason: string };

/** Moves past the separator before the next field: the end of the record, or the field's text onwards. */
export function stepToField(rest: string): FieldStep {
  const sep = SEP.exec(rest);
  if (!sep) return rest === '' ? { kind: 'end' } : { kind: 'error', reason: `expected ";" before ${JSON.stringify(rest.slice(0, 40))}` };
  const after = rest.slice(sep[0].length);
  // Nothing after it: the optional trailing separator.
  return after === '' ? { kind: 'end' } : { kind: 'field', rest: after };
}

/** Splits off one field: its text runs to the next white space or ";". */
export function takeField(rest: string): [field: string, rest: string] {
  const end = rest.search(/[ \t;]/);
  return end < 0 ? [rest, ''] : [rest.slice(0, end), rest.slice(end)];
}
