import type { AddressObservation, AddressProbe, NameMatch, ProbeStage } from '../types.js';

const STAGE_ORDER: ProbeStage[] = ['connect', 'greeting', 'ehlo', 'starttls', 'tls', 'ehlo-tls', 'quit', 'done'];

/** Weakest first: a host is only as good as its weakest observed address, because Postfix
 *  may deliver through any of them. */
export const OBSERVATION_RANK: Record<AddressObservation, number> = {
  'not-observed': -1,
  'no-starttls': 0,
  'tls-failed': 1,
  'legacy-tls': 2,
  untrusted: 3,
  'name-mismatch': 4,
  verified: 5,
};

/** Reduces one probe to the single fact the policy needs (POLICY.md, "Per address"). */
export function observeAddress(probe: AddressProbe, names: NameMatch | undefined): AddressObservation {
  if (probe.tls) {
    if (probe.tls.legacyOnly) return 'legacy-tls';
    if (!probe.tls.trust.trusted) return 'untrusted';
    return names?.hostname ? 'verified' : 'name-mismatch';
  }
  if (probe.starttlsReply || (probe.starttlsOffered && probe.failure?.stage === 'starttls')) {
    return 'tls-failed';
  }
  const talkedSmtp = STAGE_ORDER.indexOf(probe.stage) >= STAGE_ORDER.indexOf('ehlo');
  if (talkedSmtp && !probe.starttlsOffered) return 'no-starttls';
  return 'not-observed';
}

/** The weakest observation among a host's observed addresses. */
export function observeHost(observations: AddressObservation[]): AddressObservation {
  let weakest: AddressObservation = 'not-observed';
  for (const o of observations) {
    if (o === 'not-observed') continue;
    if (weakest === 'not-observed' || OBSERVATION_RANK[o] < OBSERVATION_RANK[weakest]) weakest = o;
  }
  return weakest;
}
