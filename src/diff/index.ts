// The diff against a previous run (--diff): read the old NDJSON into snapshots, compare each
// domain as it finishes, list the domains that are gone at the end, render.
export type { Change, ChangeDetails, ChangeType, PolicyKind, Severity, StarttlsSummary } from './change.js';
export { compareDomain, goneDomains, type CompareOptions } from './compare.js';
export { expiryChanges } from './compare-addresses.js';
export { readPrevious, PreviousRunError, type BadLine, type PreviousRun, type ReadPreviousOptions } from './read-previous.js';
export { bySeverityThenDomain, countBySeverity, describeChange, diffNdjsonLine, renderDiffText, type DiffTextOptions } from './render.js';
export { toSnapshot, type DomainSnapshot, type SnapshotPolicy, type SnapshotSource } from './snapshot.js';
export { previousLines } from './previous-lines.js';
export { DiffSession } from './session.js';
