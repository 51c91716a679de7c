import type { AddressObservation, AddressProbe } from '../types.js';

// Short, fixed phrases for reasons and comments. Server-supplied text (banners, error
// messages) is deliberately left out: reasons end up in policy-file comments.

const OBSERVATION_TEXT: Record<AddressObservation, string> = {
  'not-observed': 'not observed',
  'no-starttls': 'offers no STARTTLS',
  'tls-failed': 'offers STARTTLS but TLS fails',
  'legacy-tls': 'TLS works only with legacy protocols',
  untrusted: 'certificate not trusted',
  'name-mismatch': 'trusted certificate does not match the MX name',
  verified: 'verified',
};

export function describeObservation(o: AddressObservation): string {
  return OBSERVATION_TEXT[o];
}

export function describeTls(probe: AddressProbe): string {
  return probe.tls ? `${probe.tls.protocol}, ${probe.tls.cipher}` : 'no TLS';
}

export function describeFailure(probe: AddressProbe): string {
  const f = probe.failure;
  if (!f) return probe.starttlsReply ? `STARTTLS answered ${probe.starttlsReply.code}` : 'no failure recorded';
  const code = f.code ? `, ${f.code}` : '';
  return `${f.kind} at ${f.stage}${code}`;
}
