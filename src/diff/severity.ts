// Which changes fail the nightly cron job. The rule: a regression is a fact that mail to the
// domain is now less protected than in the previous run, or that a line written from the
// previous run would now defer mail, shown by what the servers did (not by their silence).
// Exit code 1 on a regression is only useful if it does not fire every night: facts that are
// often transient, routine, or already reported in an earlier run are warnings.

import type { Change, ChangeFact, Severity } from './change.js';

export function severityOf(fact: ChangeFact): Severity {
  switch (fact.type) {
    // The recommended line got weaker; a postmaster keeping yesterday's stricter line would
    // now have mail deferred. Either way someone must look.
    case 'level-down':
      return 'regression';
    // A host (one of its addresses) that offered STARTTLS now talks plaintext: a MITM can strip
    // TLS there, whatever the line says. Reported per host even when the level was already `may`.
    case 'starttls-lost':
      return 'regression';
    // The server answers but STARTTLS is refused or the handshake fails: TLS demonstrably broke
    // (mail at encrypt or verify is deferred). An address that no longer answers at all says
    // nothing about its TLS and is usually transient; when it weakens the line, level-down fires.
    case 'new-failure':
      return fact.details.observation === 'tls-failed' ? 'regression' : 'warning';
    // Newly expired under a line that relied on it (verified last time): verify now defers mail.
    // Already expired last run, or never trusted: reported, but the alert has fired already or
    // Postfix's behaviour does not change.
    case 'certificate-expired':
      return fact.details.wasVerified ? 'regression' : 'warning';
    // Unknown means "cannot tell" (SERVFAIL, timeouts), not "weaker": mxtls writes no line and
    // --previous keeps the old one. Worth a look, since a dropped line falls back to the default.
    case 'became-unknown':
      return 'warning';
    // A domain that stops accepting mail (NXDOMAIN, null MX) loses its line: often a lapsed
    // registration someone else may take over. Other kind changes (known again, accepting
    // mail again) only add information.
    case 'kind-changed':
      return fact.details.to === 'no-mail' ? 'warning' : 'info';
    // Still valid, but the clock is running: time to warn the domain's owner, not to fail.
    case 'certificate-expiring':
      return 'warning';
    // Mostly routine renewals, but also what an interception looks like. If the new certificate
    // breaks verification, level-down says so.
    case 'certificate-changed':
      return 'warning';
    // A provider migration, or a hijacked MX record (verify trusts the MX name from DNS, so a
    // new MX with a valid certificate for itself passes): worth a look, not an alarm.
    case 'mx-changed':
      return 'warning';
    // Better than before, or the postmaster's own list changed.
    case 'level-up':
    case 'starttls-gained':
    case 'domain-new':
    case 'domain-gone':
      return 'info';
  }
}

export function withSeverity(fact: ChangeFact): Change {
  return { ...fact, severity: severityOf(fact) };
}
