// Shares equal host snapshots among the domains of a previous run. With the probe cache every
// domain on a provider's MX hosts carries the same observations, so 10,000 such domains keep
// one copy of those hosts instead of 10,000.

import type { AddressSnapshot, HostSnapshot } from './snapshot.js';

/** Distinct snapshots kept per host name. Beyond it a snapshot is kept unshared: correct, only
 *  bigger, and an odd file cannot make each lookup scan a long list. */
const MAX_VARIANTS = 8;

function sameAddress(a: AddressSnapshot, b: AddressSnapshot): boolean {
  return (
    a.address === b.address &&
    a.observation === b.observation &&
    a.failure === b.failure &&
    a.leaf === b.leaf &&
    a.notAfter === b.notAfter
  );
}

function sameHost(a: HostSnapshot, b: HostSnapshot): boolean {
  return a.addresses.length === b.addresses.length && a.addresses.every((address, i) => sameAddress(address, b.addresses[i]!));
}

export type HostPool = (host: HostSnapshot) => HostSnapshot;

/** A function that returns an equal host snapshot seen before, or remembers this one. */
export function createHostPool(): HostPool {
  const byName = new Map<string, HostSnapshot[]>();
  return (host) => {
    const variants = byName.get(host.name);
    if (!variants) {
      byName.set(host.name, [host]);
      return host;
    }
    const known = variants.find((v) => sameHost(v, host));
    if (known) return known;
    if (variants.length < MAX_VARIANTS) variants.push(host);
    return host;
  };
}
