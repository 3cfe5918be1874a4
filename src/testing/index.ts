/**
 * `chunkwise/testing`: range conformance and media helpers for Playwright tests of any range
 * endpoint (a Chunkwise stream, another service worker, a CDN). The checks run inside the page,
 * so a service worker controlling it answers them.
 */
export {
  type CaseResult,
  type CheckRangesOptions,
  checkRanges,
  type RangeReport,
} from './checkRanges.ts';
export { expectRangeConformance, RangeConformanceError } from './expectRangeConformance.ts';
export type { FetchedCase } from './fetchCases.ts';
export { type DigestOf, judgeCase, type Verdict } from './judgeCase.ts';
export { playUntil, seekTo } from './mediaHelpers.ts';
export type { PageLike } from './PageLike.ts';
export {
  type RangeCase,
  type RangeCaseOptions,
  type RangeOutcome,
  rangeCases,
} from './rangeCases.ts';
export { readStats } from './readStats.ts';
export { type Validators, validatorCases } from './validatorCases.ts';
