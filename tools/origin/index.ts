/**
 * Upstream test/demo origin for Chunkwise (see origin.ts and README.md). Public API only.
 */
export type { Knobs } from './knobs.ts';
export type { LogEntry } from './log-entry.ts';
export { DEFAULT_ROOT, type Origin, type OriginOptions, startOrigin } from './origin.ts';
export { contentRange, parseRange, type RangeSelection, unsatisfiedContentRange } from './range.ts';
export type { EntryMatcher } from './request-watchers.ts';
export { fillSynthetic, syntheticByte, syntheticBytes } from './synthetic.ts';
