import { type CheckRangesOptions, checkRanges, type RangeReport } from './checkRanges.ts';
import type { PageLike } from './PageLike.ts';

/** Thrown by `expectRangeConformance`: its message is the readable report. */
export class RangeConformanceError extends Error {
  override readonly name = 'RangeConformanceError';
  constructor(readonly report: RangeReport) {
    super(`range cases answered wrongly:\n${report.text}`);
  }
}

/**
 * An assertion for any test runner (Playwright reports the thrown error as the test's failure):
 * every range case of `url`, fetched from inside `page`, is answered as RFC 9110 prescribes.
 * Resolves with the report; rejects with a `RangeConformanceError` carrying it.
 */
export async function expectRangeConformance(
  page: PageLike,
  url: string,
  options: CheckRangesOptions,
): Promise<RangeReport> {
  const report = await checkRanges(page, url, options);
  if (report.failures.length > 0) throw new RangeConformanceError(report);
  return report;
}
