// Host-name syntax shared by input lines, policy keys, mail-log lines and MTA-STS mx patterns.

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** True for an LDH host name in A-label form (what a policy key may hold). */
export function isHostName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^[0-9]+$/.test(labels[labels.length - 1]!);
}
