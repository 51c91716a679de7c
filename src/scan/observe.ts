import { ADDRESS_OBSERVATIONS, PROBE_STAGES, type AddressObservation, type AddressProbe, type NameMatch } from '../types.js';

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
  const talkedSmtp = PROBE_STAGES.indexOf(probe.stage) >= PROBE_STAGES.indexOf('ehlo');
  if (talkedSmtp && !probe.starttlsOffered) return 'no-starttls';
  return 'not-observed';
}

/** The weakest observation among a host's observed addresses. */
export function observeHost(observations: AddressObservation[]): AddressObservation {
  let weakest: AddressObservation = 'not-observed';
  for (const o of observations) {
    if (o === 'not-observed') continue;
    if (weakest === 'not-observed' || ADDRESS_OBSERVATIONS.indexOf(o) < ADDRESS_OBSERVATIONS.indexOf(weakest)) weakest = o;
  }
  return weakest;
}
