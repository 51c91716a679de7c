// Terminal colour, only when asked for (a TTY and no NO_COLOR is the CLI's decision, not
// the renderer's), and the words shared by the summary table and the detailed view.

import { ADDRESS_OBSERVATIONS, type AddressObservation, type PolicyRecommendation } from '../types.js';
import { sanitizeText } from './sanitize.js';

export type Paint = (text: string) => string;

export interface Palette {
  good: Paint;
  warn: Paint;
  bad: Paint;
  dim: Paint;
  bold: Paint;
}

function sgr(open: number, close: number, enabled: boolean): Paint {
  return enabled ? (text) => `\x1b[${open}m${text}\x1b[${close}m` : (text) => text;
}

export function palette(color: boolean): Palette {
  return {
    good: sgr(32, 39, color),
    warn: sgr(33, 39, color),
    bad: sgr(31, 39, color),
    dim: sgr(2, 22, color),
    bold: sgr(1, 22, color),
  };
}

const OBSERVATION_WORD: Record<AddressObservation, string> = {
  'not-observed': 'not observed',
  'no-starttls': 'no STARTTLS',
  'tls-failed': 'TLS failed',
  'legacy-tls': 'legacy TLS only',
  untrusted: 'untrusted',
  'name-mismatch': 'name mismatch',
  verified: 'verified',
};

/** Worst first, so a summary leads with what needs attention; `not-observed`, which says
 *  nothing about TLS, last. */
export const OBSERVATION_ORDER: readonly AddressObservation[] = [...ADDRESS_OBSERVATIONS.filter((o) => o !== 'not-observed'), 'not-observed'];

export function observationWord(observation: AddressObservation, p: Palette): string {
  const word = OBSERVATION_WORD[observation];
  if (observation === 'verified') return p.good(word);
  if (observation === 'untrusted' || observation === 'name-mismatch') return p.warn(word);
  return observation === 'not-observed' ? p.dim(word) : p.bad(word);
}

/** The recommended level, or "—" with the reason there is no line. */
export function levelWord(rec: PolicyRecommendation, p: Palette): string {
  if (rec.kind === 'no-mail') return p.dim('— (no mail)');
  if (rec.kind === 'unknown' || rec.level === undefined) return p.warn('— (unknown)');
  // Sanitised although our own recommender wrote it: a report read back from JSON may not be ours.
  const level = sanitizeText(rec.level, 20);
  if (rec.level === 'may' || rec.level === 'none') return p.bad(level);
  return rec.level === 'encrypt' ? p.warn(level) : p.good(level);
}
