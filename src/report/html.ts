// The one way text enters the report's HTML. Every interpolated value of the `html` template
// is escaped unless it is already SafeHtml (made by this template), so a banner, a certificate
// name or an MX name from the network can never become markup or script: forgetting to escape
// is not possible, only deliberately marking something as safe is (and only `html` does that).
// Escaping is this file's only job: network text is cut and cleaned of control and bidi
// characters by sanitizeText (src/output/sanitize.ts) where the report's model takes it in,
// as the terminal table does, so it is escaped here exactly once.

/** Markup made by `html` (or by renderers from it): written out as it is. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** What `html` accepts between its literal parts. Arrays are joined; empty values write nothing. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape text for an HTML text node or a quoted attribute value (HTML Living Standard 13.1:
 * `&` and `<` end text, `"` and `'` end a quoted attribute, `>` closes a tag in older parsers).
 * Every attribute this report writes is quoted, and no value goes into a URL, a style or a script.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** A template literal tag: the literal parts are markup, every value is escaped text. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}
