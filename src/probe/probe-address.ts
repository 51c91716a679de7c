// One address → AddressProbe. Never rejects: a batch of many domains must survive any server.
import net from 'node:net';
import { Transcript } from '../smtp/transcript.js';
import type { AddressProbe, ProbeOptions } from '../types.js';
import { classifyThrown } from './failure-codes.js';
import { runSession, type ProbeTarget, type SessionOutcome } from './session-flow.js';

export async function probeAddress(target: ProbeTarget, opts: ProbeOptions): Promise<AddressProbe> {
  const startedAt = new Date();
  const t0 = performance.now();
  const transcript = new Transcript();
  let outcome: SessionOutcome;
  try {
    outcome = await runSession(target, opts, false, transcript);
    if (outcome.legacyMightHelp) outcome = await retryLegacy(target, opts, transcript, outcome);
  } catch (err) {
    // runSession already turns its own exceptions into failures; this guards the code around it.
    outcome = {
      stage: 'connect',
      failure: { stage: 'connect', ...classifyThrown(err) },
      heloFallback: false,
      ehloKeywords: [],
      starttlsOffered: false,
      legacyMightHelp: false,
    };
  }
  return {
    address: target.address,
    family: net.isIPv6(target.address) ? 6 : 4,
    port: target.port ?? opts.port,
    hostname: target.hostname,
    stage: outcome.stage,
    ...(outcome.failure ? { failure: outcome.failure } : {}),
    ...(outcome.greeting ? { greeting: outcome.greeting } : {}),
    heloFallback: outcome.heloFallback,
    ehloKeywords: outcome.ehloKeywords,
    starttlsOffered: outcome.starttlsOffered,
    ...(outcome.starttlsReply ? { starttlsReply: outcome.starttlsReply } : {}),
    ...(outcome.tls ? { tls: outcome.tls } : {}),
    ...(outcome.ehloTlsKeywords ? { ehloTlsKeywords: outcome.ehloTlsKeywords } : {}),
    transcript: transcript.lines(),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
  };
}

/**
 * The default handshake failed in a way old protocol versions or weak ciphers might fix: try the
 * whole session again on a fresh connection (the failed handshake left the first one unusable).
 * Only a retry that gets TLS replaces the first outcome, whose failure is the informative one.
 */
async function retryLegacy(target: ProbeTarget, opts: ProbeOptions, transcript: Transcript, first: SessionOutcome): Promise<SessionOutcome> {
  transcript.note('retrying on a new connection with legacy TLS (TLS 1.0/1.1, SECLEVEL=0)');
  const retry = await runSession(target, opts, true, transcript);
  if (!retry.tls) {
    transcript.note('the legacy retry did not establish TLS either; reporting the first attempt');
    return first;
  }
  return { ...retry, tls: { ...retry.tls, legacyOnly: true } };
}
