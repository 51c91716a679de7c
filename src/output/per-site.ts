// The legacy smtp_tls_per_site table, for Postfix before 2.3 (TLS_LEGACY_README). Its four
// values and what Postfix >= 2.3 reads them as (smtp_session.c, tls_site_lookup()):
//   NONE              no TLS                              (overrides MAY)
//   MAY               TLS when offered                    = may
//   MUST_NOPEERMATCH  TLS required, certificate unchecked = encrypt
//   MUST              TLS required, trusted CA, and the certificate matches the server
//                     host name                           = verify
// Postfix >= 2.3 ignores this table when smtp_tls_policy_maps is set.
//
// The modern levels without an equivalent map to the strongest legacy value that cannot
// defer mail the modern level would deliver (POLICY.md's promise: never undeliverable):
//   secure       MUST only when every observed MX host verified against its own name
//                (what MUST checks); otherwise MUST_NOPEERMATCH, because `secure` may have
//                been earned by a certificate naming the domain, which MUST would reject.
//   dane         MAY: `dane` falls back to `may` for hosts without TLSA records.
//   dane-only    MUST_NOPEERMATCH: every host did TLS, but a DANE certificate is often not
//                issued by a public CA, so MUST could defer.
//   fingerprint  MUST_NOPEERMATCH: TLS is required; the pin cannot be expressed.
// Attributes (match=, protocols=...) cannot be expressed either; a note says so.

import type { DomainResult, PolicyLevel, PolicyRecommendation } from '../types.js';
import { isValidPolicyKey } from '../policy/postfix-syntax.js';
import {
  comment,
  createMapWriter,
  isPolicyLevel,
  renderMapFile,
  type MapFileMeta,
  type MapWriter,
  type MapValue,
} from './map-file.js';
import type { OutputItem } from './item.js';

export type PerSiteValue = 'NONE' | 'MAY' | 'MUST_NOPEERMATCH' | 'MUST';

function everyObservedHostVerified(result: DomainResult): boolean {
  const observed = result.hosts.filter((host) => host.observation !== 'not-observed');
  return observed.length > 0 && observed.every((host) => host.observation === 'verified');
}

/** The legacy value for a level, given what was observed (only `secure` needs that). */
export function perSiteValueFor(level: PolicyLevel, result: DomainResult): PerSiteValue {
  switch (level) {
    case 'none':
      return 'NONE';
    case 'may':
    case 'dane':
      return 'MAY';
    case 'encrypt':
    case 'dane-only':
    case 'fingerprint':
      return 'MUST_NOPEERMATCH';
    case 'verify':
      return 'MUST';
    case 'secure':
      return everyObservedHostVerified(result) ? 'MUST' : 'MUST_NOPEERMATCH';
  }
}

/** The value's own meaning, to tell when translating lost something. */
const EXACT: Record<PerSiteValue, PolicyLevel> = {
  NONE: 'none',
  MAY: 'may',
  MUST_NOPEERMATCH: 'encrypt',
  MUST: 'verify',
};

/** The level or attributes the legacy value cannot say, empty when it says all of it. */
function lostBy(rec: PolicyRecommendation, level: PolicyLevel, value: PerSiteValue): string[] {
  return [EXACT[value] === level ? '' : level, ...Object.keys(rec.attributes).map((name) => `${name}=`)].filter(Boolean);
}

function perSiteValue(rec: PolicyRecommendation, result: DomainResult): MapValue {
  const level = rec.level;
  if (!isPolicyLevel(level)) return { comment: 'unknown level; no line written' };
  const value = perSiteValueFor(level, result);
  const lost = lostBy(rec, level, value);
  if (lost.length === 0) return { value };
  return { value, note: `legacy table cannot express ${lost.join(', ')}; ${value} is the closest that delivers` };
}

/** Said at the top, since a streamed file cannot list the downgraded domains before the end. */
const HEADER_NOTE = 'the legacy table cannot express dane, dane-only or secure (nor match= and other attributes): such domains get the closest value that delivers, listed at the end';
/** Domains named in the closing list, one comment each; the rest are counted, so a run of a
 *  million downgraded domains does not keep a million names in memory. */
const LIST_MAX = 1000;

export function createPerSiteWriter(meta: MapFileMeta): MapWriter {
  const writer = createMapWriter(meta, 'smtp_tls_per_site', perSiteValue);
  const downgraded: string[] = [];
  let unlisted = 0;
  return {
    header: () => `${writer.header()}${comment(HEADER_NOTE)}\n`,
    entry: (result, rec) => {
      const level = rec.level;
      if (rec.kind === 'line' && isPolicyLevel(level) && isValidPolicyKey(rec.domain)) {
        const value = perSiteValueFor(level, result);
        const lost = lostBy(rec, level, value);
        if (lost.length > 0 && downgraded.length < LIST_MAX) downgraded.push(`${rec.domain}: ${[level, ...lost.filter((l) => l !== level)].join(' ')} written as ${value}`);
        else if (lost.length > 0) unlisted++;
      }
      return writer.entry(result, rec);
    },
    footer: () => {
      const total = downgraded.length + unlisted;
      const lines = [
        `downgraded: ${total === 0 ? 'none' : `${total} ${total === 1 ? 'domain' : 'domains'}`}`,
        ...downgraded.map((entry) => `  ${entry}`),
        ...(unlisted > 0 ? [`  and ${unlisted} more`] : []),
      ];
      return `${lines.map((text) => `${comment(text)}\n`).join('')}${writer.footer()}`;
    },
  };
}

export function renderPerSiteFile(meta: MapFileMeta, items: readonly OutputItem[]): string {
  return renderMapFile(meta, items, createPerSiteWriter);
}
