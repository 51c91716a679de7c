/**
 * The one spelling of a DNS name used in results and comparisons: lower case, no trailing dot.
 * DNS compares names case-insensitively and resolvers echo whatever case they were sent.
 */
export function normaliseName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
