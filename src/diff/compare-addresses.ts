// Facts about one MX address between two runs: its certificate changed, it fails in a new
// way, its certificate expires. An address is the same when host name and IP are the same.

import type { ChangeFact } from './change.js';
import type { AddressSnapshot, DomainSnapshot } from './snapshot.js';

const DAY_MS = 86_400_000;

export interface ExpiryOptions {
  /** The moment expiry is measured from. */
  now: Date;
  /** Warn about certificates that expire within this many days (0: only expired ones). */
  expiryWarnDays: number;
}

function previousAddress(prev: DomainSnapshot | undefined, host: string, address: string): AddressSnapshot | undefined {
  return prev?.hosts.find((h) => h.name === host)?.addresses.find((a) => a.address === address);
}

/** Pairs of (host, address) present in both runs, with what changed between them. */
export function addressChanges(prev: DomainSnapshot, cur: DomainSnapshot): ChangeFact[] {
  const domain = cur.domain;
  return cur.hosts.flatMap((host) =>
    host.addresses.flatMap((now): ChangeFact[] => {
      const before = previousAddress(prev, host.name, now.address);
      if (!before) return [];
      const ref = { host: host.name, address: now.address };
      const facts: ChangeFact[] = [];
      if (before.leaf && now.leaf && before.leaf !== now.leaf) {
        facts.push({ domain, type: 'certificate-changed', details: { ...ref, from: before.leaf, to: now.leaf } });
      }
      // Observed before, failing now in a way it did not: a server that never answered, or
      // still fails the same way, has nothing new to say.
      if (before.observation !== 'not-observed' && now.failure && now.failure !== before.failure) {
        facts.push({ domain, type: 'new-failure', details: { ...ref, failure: now.failure, observation: now.observation } });
      }
      return facts;
    }),
  );
}

/** Today's leaf certificates that expired or expire soon (snapshot.ts keeps only those whose
 *  dates matter); `prev` tells whether verification relied on an expired one. */
export function expiryChanges(prev: DomainSnapshot | undefined, cur: DomainSnapshot, options: ExpiryOptions): ChangeFact[] {
  const now = options.now.getTime();
  const domain = cur.domain;
  return cur.hosts.flatMap((host) =>
    host.addresses.flatMap((a): ChangeFact[] => {
      if (a.notAfter === undefined) return [];
      const ref = { host: host.name, address: a.address, notAfter: new Date(a.notAfter).toISOString() };
      if (a.notAfter <= now) {
        const wasVerified = previousAddress(prev, host.name, a.address)?.observation === 'verified';
        return [{ domain, type: 'certificate-expired', details: { ...ref, wasVerified } }];
      }
      if (a.notAfter > now + options.expiryWarnDays * DAY_MS) return [];
      return [{ domain, type: 'certificate-expiring', details: { ...ref, daysLeft: Math.floor((a.notAfter - now) / DAY_MS) } }];
    }),
  );
}
