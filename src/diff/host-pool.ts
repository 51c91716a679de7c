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
  // One copy of each leaf fingerprint (64 hex digits, ~90 bytes as a string): a provider serves
  // one certificate from many addresses (the bench's 143k addresses held 12 MB of copies).
  const leaves = new Map<string, string>();
  const kept = (host: HostSnapshot): HostSnapshot => ({
    name: host.name,
    addresses: host.addresses.map((a) => {
      if (a.leaf === undefined) return a;
      const leaf = leaves.get(a.leaf) ?? a.leaf;
      leaves.set(leaf, leaf);
      return { ...a, leaf };
    }),
  });
  return (host) => {
    const variants = byName.get(host.name);
    if (!variants) {
      const first = kept(host);
      byName.set(host.name, [first]);
      return first;
    }
    const known = variants.find((v) => sameHost(v, host));
    if (known) return known;
    const other = kept(host);
    if (variants.length < MAX_VARIANTS) variants.push(other);
    return other;
  };
}

export type HostListPool = (hosts: HostSnapshot[]) => readonly HostSnapshot[];

/** Shares equal lists of (already shared) host snapshots: a provider's customers have one MX list,
 *  and a million domains then keep no array of their own. */
export function createHostListPool(): HostListPool {
  const byNames = new Map<string, (readonly HostSnapshot[])[]>();
  return (hosts) => {
    if (hosts.length === 0) return NO_HOSTS;
    const key = hosts.map((h) => h.name).join(' ');
    const variants = byNames.get(key);
    if (!variants) {
      byNames.set(key, [hosts]);
      return hosts;
    }
    const known = variants.find((v) => v.every((h, i) => h === hosts[i]));
    if (known) return known;
    if (variants.length < MAX_VARIANTS) variants.push(hosts);
    return hosts;
  };
}

const NO_HOSTS: readonly HostSnapshot[] = Object.freeze([]);
