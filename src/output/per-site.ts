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
import {
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

function perSiteValue(rec: PolicyRecommendation, result: DomainResult): MapValue {
  const level = rec.level;
  if (!isPolicyLevel(level)) return { comment: 'unknown level; no line written' };
  const value = perSiteValueFor(level, result);
  const attributes = Object.keys(rec.attributes);
  const lost = [EXACT[value] === level ? '' : level, ...attributes.map((name) => `${name}=`)].filter(Boolean);
  if (lost.length === 0) return { value };
  return { value, note: `legacy table cannot express ${lost.join(', ')}; ${value} is the closest that delivers` };
}

export function createPerSiteWriter(meta: MapFileMeta): MapWriter {
  return createMapWriter(meta, 'smtp_tls_per_site', perSiteValue);
}

export function renderPerSiteFile(meta: MapFileMeta, items: readonly OutputItem[]): string {
  return renderMapFile(meta, items, createPerSiteWriter);
}
