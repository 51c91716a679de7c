// What the policy file and the legacy per-site table share: the header, the comment that
// explains each entry, key validation and column alignment. Only the value written after
// the key differs, so each format supplies a function that chooses it.
//
// Postfix table source rules that shape this code (postmap(1)): a line whose first
// non-blank character is '#' is a comment, and a line that starts with white space
// CONTINUES the previous logical line. So every line written here starts with '#' or with
// a validated key, and no data can carry a line break.

import type { DomainResult, PolicyRecommendation } from '../types.js';
import type { OutputItem } from './item.js';
import { isValidPolicyKey } from '../policy/postfix-syntax.js';
import type { PostfixTarget } from '../policy/postfix-target.js';
import { sanitizeText } from './sanitize.js';
import { Tally } from './tally.js';
import { summaryText, warningText } from './reason-text.js';

export interface MapFileMeta {
  /** mxtls version, for the header. */
  version: string;
  generatedAt: Date | string;
  /** How many domains the run covers, when known up front. */
  domains?: number;
  /** The resolvers used, as the user will recognise them ("127.0.0.1:53", "[::1]:53"). */
  resolvers?: readonly string[];
  /** Keys are padded to this width so values line up; longer keys get one space. */
  keyWidth?: number;
  /** The Postfix version the table is written for, named in the header. */
  postfix?: PostfixTarget;
}

/**
 * What a format writes for a recommendation that has a line: the value (with an optional
 * note, written as a comment above it, when the format had to translate), or a comment
 * saying why no line is written.
 */
export type MapValue = { value: string; note?: string } | { comment: string };

// The levels Postfix reads in a policy line are Postfix syntax: declared there, once.
export { isPolicyLevel } from '../policy/postfix-syntax.js';

/** A table written while the scan runs: the header first, then each domain as it finishes. */
export interface MapWriter {
  header(): string;
  entry(result: DomainResult, rec: PolicyRecommendation): string;
  /** A closing comment with the tally, since a streamed header cannot know the count. */
  footer(): string;
}

export const DEFAULT_KEY_WIDTH = 24;
/** The narrowest column renderPolicyFile pads to, as in POLICY.md's example. */
const DEFAULT_KEY_WIDTH_MIN = 16;
/** Comments carry facts, not essays: long server-derived text is cut. */
const COMMENT_MAX = 300;

/** ISO 8601 to the second: the header is for people, milliseconds only add noise. */
export function isoSeconds(time: Date | string): string {
  const date = typeof time === 'string' ? new Date(time) : time;
  return Number.isNaN(date.getTime()) ? sanitizeText(String(time), 40) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function comment(text: string): string {
  return `# ${sanitizeText(text, COMMENT_MAX)}`;
}

export function headerLine(meta: MapFileMeta, what: string): string {
  const parts = [`mxtls ${meta.version} ${what}${meta.postfix ? ` for Postfix ${meta.postfix.label}` : ''}`, isoSeconds(meta.generatedAt)];
  if (meta.domains !== undefined) parts.push(`${meta.domains} ${meta.domains === 1 ? 'domain' : 'domains'}`);
  const resolvers = meta.resolvers ?? [];
  if (resolvers.length > 0) parts.push(`${resolvers.length === 1 ? 'resolver' : 'resolvers'} ${resolvers.join(' ')}`);
  return comment(parts.join(', '));
}

/**
 * The lines for one domain, each one physical line ending in '\n': a summary comment, one
 * comment per warning, then the table line or a comment saying why there is none.
 */
export function entryLines(
  result: DomainResult,
  rec: PolicyRecommendation,
  keyWidth: number,
  valueFor: (rec: PolicyRecommendation, result: DomainResult) => MapValue,
): string {
  const key = rec.domain;
  // Name the input too when it differs (an IDN the user typed as U-labels).
  const label = result.input !== undefined && result.input !== key ? `${key} (${result.input})` : key;
  if (!isValidPolicyKey(key)) return `${comment(`${label}: not a valid policy key; no line written`)}\n`;
  const hasLine = rec.kind === 'line' && rec.level !== undefined;
  // An unknown domain's summary says "no line written": a reader must be able to tell that the
  // missing line is deliberate (keep the old one).
  const summary = rec.kind === 'line' && !hasLine ? 'no level recommended; no line written' : summaryText(rec);
  const lines = [comment(`${label}: ${summary}`), ...rec.warnings.map((warning) => comment(`  warning: ${warningText(warning)}`))];
  if (hasLine) {
    const chosen = valueFor(rec, result);
    if ('comment' in chosen) {
      lines.push(comment(`${key}: ${chosen.comment}`));
    } else {
      if (chosen.note !== undefined) lines.push(comment(`  note: ${chosen.note}`));
      lines.push(`${key.padEnd(keyWidth - 1)} ${chosen.value}`);
    }
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** The widest key among the entries, for renderers that see all of them before writing. */
export function keyWidthFor(recs: readonly PolicyRecommendation[]): number {
  const keys = recs.map((rec) => rec.domain).filter(isValidPolicyKey);
  return keys.reduce((max, key) => Math.max(max, key.length + 2), DEFAULT_KEY_WIDTH_MIN);
}

type ValueFor = (rec: PolicyRecommendation, result: DomainResult) => MapValue;

/** A streaming writer: keys are padded to meta.keyWidth, since the longest is not known yet. */
export function createMapWriter(meta: MapFileMeta, what: string, valueFor: ValueFor): MapWriter {
  const keyWidth = meta.keyWidth ?? DEFAULT_KEY_WIDTH;
  const tally = new Tally('accept no mail');
  return {
    header: () => `${headerLine(meta, what)}\n`,
    entry: (result, rec) => {
      tally.add(rec);
      return entryLines(result, rec, keyWidth, valueFor);
    },
    footer: () => `${comment(`end: ${tally.text()}`)}\n`,
  };
}

/** The whole file at once, with keys aligned to the longest one. */
export function renderMapFile(meta: MapFileMeta, items: readonly OutputItem[], create: (meta: MapFileMeta) => MapWriter): string {
  const writer = create({
    ...meta,
    domains: meta.domains ?? items.length,
    keyWidth: meta.keyWidth ?? keyWidthFor(items.map((item) => item.rec)),
  });
  return writer.header() + items.map((item) => writer.entry(item.result, item.rec)).join('') + writer.footer();
}
