// The words of a recommendation: every reason and warning code (src/types.ts, "Reasons") written
// as the short, fixed phrase the table, the detail view, policy-file comments and the report
// show. Server-supplied text (banners, error messages) never appears: reasons end up in
// policy-file comments, and the facts carry codes, not the server's words.
import { tlsaParams } from '../dane/tlsa-record.js';
import type { AddressObservation, DaneHostFact, PolicyRecommendation, ProbeFailureFact, Reason, Warning } from '../types.js';

const OBSERVATION_TEXT: Readonly<Record<AddressObservation, string>> = {
  'not-observed': 'not observed',
  'no-starttls': 'offers no STARTTLS',
  'tls-failed': 'offers STARTTLS but TLS fails',
  'legacy-tls': 'TLS works only with legacy protocols',
  untrusted: 'certificate not trusted',
  'name-mismatch': 'trusted certificate does not match the MX name',
  verified: 'verified',
};

const NO_MAIL_TEXT: Readonly<Record<Extract<Reason, { code: 'no-mail' }>['cause'], string>> = {
  nxdomain: 'accepts no mail (the domain does not exist)',
  'null-mx': 'accepts no mail (null MX, RFC 7505)',
  'no-mail-host': 'accepts no mail (no MX and no A/AAAA record)',
};

const NO_TLSA_TEXT: Readonly<Record<NonNullable<DaneHostFact['tlsa']>, string>> = {
  'not-applicable': 'its DNS is not DNSSEC-validated',
  'no-tlsa': 'none published',
  'insecure-tlsa': 'not DNSSEC-validated',
};

export function describeFailure(f: ProbeFailureFact): string {
  if (f.kind && f.stage) return `${f.kind} at ${f.stage}${f.code ? `, ${f.code}` : ''}`;
  return f.starttlsReply !== undefined ? `STARTTLS answered ${f.starttlsReply}` : 'no failure recorded';
}

function daneHost(h: DaneHostFact): string {
  switch (h.verdict) {
    case 'matched':
      return h.by ? `${h.host} matches its TLSA (${tlsaParams(h.by)})` : `${h.host} matches its TLSA`;
    case 'mismatch':
      return `${h.host} does not match its TLSA`;
    case 'unusable':
      return `${h.host} has TLSA records, none usable on port 25 (TLS without authentication)`;
    case 'unobserved':
      return `${h.host} has TLSA records but was not observed`;
    case 'failed':
      return `${h.host}: ${h.detail ?? 'TLSA lookup failed'}`;
    case 'none':
      return `${h.host} has no TLSA that counts (${NO_TLSA_TEXT[h.tlsa ?? 'not-applicable']}), opportunistic under dane`;
  }
}

const idText = (id: string | undefined): string => (id ? ` (id ${id})` : '');

export function reasonText(r: Reason): string {
  switch (r.code) {
    case 'internal-error':
      return `unknown: internal error in mxtls${r.address ? ` probing ${r.address}` : ''} (a bug, not a fault of the domain): ${r.message}`;
    case 'no-mail':
      return NO_MAIL_TEXT[r.cause];
    case 'mx-lookup-failed':
      return `unknown (MX lookup ${r.status}${r.detail ? `: ${r.detail}` : ''})`;
    case 'none-observed':
      if (r.addresses === 0) return 'unknown (no MX host has an address)';
      return `unknown (none of ${r.addresses} MX addresses could be observed: ${r.failures.map((f) => (f === 'no-answer' ? 'no answer' : f)).join(', ')})`;
    case 'verified': {
      const tls = r.host ? ` (${r.host} ${r.protocol ? `${r.protocol}, ${r.cipher ?? ''}` : 'no TLS'})` : '';
      return `${r.verified}/${r.addresses} MX addresses verified${tls}`;
    }
    case 'weakest-host': {
      const detail = r.trust ? ` (${r.trust})` : r.protocol ? ` (${r.protocol})` : r.failure ? ` (${describeFailure(r.failure)})` : '';
      const action = r.level === 'may' ? 'staying opportunistic' : 'encrypting without certificate checks';
      return `${r.host}: ${OBSERVATION_TEXT[r.observation]}${detail}; ${action}`;
    }
    case 'unobserved-capped':
      return `${r.hosts.join(', ')} not observed, its TLS is unknown and could be plaintext; capped at may (would be ${r.wouldBe})`;
    case 'unobserved':
      return `${r.hosts.join(', ')} not observed`;
    case 'dane-tlsa-failed':
      return `unknown (${r.hosts.map(daneHost).join('; ')})`;
    case 'dane-all-match':
      return `every MX host matches its DNSSEC-validated TLSA: ${r.hosts.map(daneHost).join('; ')}`;
    case 'dane-some-match':
      return `DANE, ${r.matched}/${r.hosts.length} MX hosts match their TLSA: ${r.hosts.map(daneHost).join('; ')}`;
    case 'without-dane':
      return `without DANE: ${r.level} (${r.because ? reasonText(r.because) : ''})`;
    case 'mta-sts-also':
      return `MTA-STS enforce${idText(r.id)} also published; DANE takes precedence (RFC 8461 §2)`;
    case 'mta-sts-secure':
      return `MTA-STS enforce${idText(r.id)}: every MX is in the policy and verifies; ${r.because ? reasonText(r.because) : ''}`.trim();
    case 'carried-over':
      return `carried over from ${r.from.slice(0, 10)}: today ${r.today ? reasonText(r.today) : 'unknown'}`;
    case 'saved-words':
      return r.text;
  }
}

export function warningText(w: Warning): string {
  const at = 'address' in w ? `${w.host} [${w.address}]` : '';
  switch (w.code) {
    case 'host-no-address':
      return `${w.host} has no A/AAAA record; Postfix skips it`;
    case 'host-lookup-failed':
      return `${w.host}: address lookup failed`;
    case 'tls-fails':
      return `${at}: STARTTLS offered but TLS fails (${describeFailure(w.failure)})`;
    case 'legacy-tls-only':
      return `${at}: only legacy TLS works (${String(w.protocol)}); upgrade the server`;
    case 'address-not-observed':
      return `${at}: not observed (${describeFailure(w.failure)})`;
    case 'matches-domain-not-mx':
      return `${at}: certificate matches the domain, not the MX name: would pass "secure"`;
    case 'mixed-strongest-skips':
      return `--mixed=strongest: Postfix would skip ${w.hosts.map((h) => `${h.host} (${h.level})`).join(', ')}`;
    case 'partial-observed':
      return `--partial=observed: ${w.hosts.join(', ')} not observed; ${w.level ?? 'the line'} relies on the observed hosts alone`;
    case 'dane-mismatch': {
      const why = w.failure === 'no-tls' ? 'it offers no working TLS' : `its certificate does not match (${w.failure})`;
      return `ALERT: ${at}: DNSSEC-validated TLSA at ${w.owner} (${w.records.join(', ')}) but ${why}; DANE senders, and this dane line, defer mail to it`;
    }
    case 'mta-sts-invalid':
      return `MTA-STS record published but unusable at ${w.stage ?? 'policy'}: ${w.reason ?? 'invalid'}`;
    case 'mta-sts-unknown':
      return `MTA-STS unknown: ${w.reason ?? 'lookup failed'}`;
    case 'mta-sts-testing':
      return `MTA-STS in testing mode${idText(w.id)}: reported, not enforced`;
    case 'mta-sts-mx-not-in-policy':
      return `ALERT: MTA-STS enforce${idText(w.id)}: ${w.hosts.join(', ')} not in the policy's mx (${w.patterns.join(', ')}); MTA-STS senders refuse to deliver there`;
    case 'mta-sts-not-verified':
      return `ALERT: MTA-STS enforce${idText(w.id)}, but not every MX verifies (${w.standing}); MTA-STS senders defer this mail`;
    case 'mta-sts-no-postfix-match': {
      const why =
        w.cause === 'pattern' ? `mx pattern ${JSON.stringify(w.pattern)} cannot be written as a Postfix match pattern` : w.cause === 'empty' ? 'no mx patterns' : 'patterns do not form a valid match attribute';
      return `MTA-STS enforce${idText(w.id)}: its mx patterns cannot be written as a Postfix match (${why})`;
    }
    case 'mta-sts-match-fails':
      return `MTA-STS enforce${idText(w.id)}: a certificate would not pass Postfix's match=${w.match}; keeping verify`;
    case 'mta-sts-match-widened':
      return `Postfix's match=${w.match} also accepts deeper names than the MTA-STS pattern ${w.wildcards.join(', ')} (one label)`;
    case 'saved-words':
      return w.text;
  }
}

/** The summary line: an unknown domain's says that no line is written (the kind decides, so a
 *  carried-over line, which wraps the same fact, does not say it). */
export function summaryText(rec: PolicyRecommendation): string {
  const text = reasonText(rec.summary);
  // Schema 1 wrote the whole sentence, suffix included.
  return rec.kind === 'unknown' && rec.summary.code !== 'saved-words' ? `${text}; no line written` : text;
}

/** Every reason in order, the summary first: the detail view's and the report's list. */
export function reasonLines(rec: PolicyRecommendation): string[] {
  return [summaryText(rec), ...rec.reasons.map(reasonText)];
}
