import { expect } from '@playwright/test';
import { type CheckRangesOptions, checkRanges, type RangeReport } from './checkRanges.ts';
import type { PageLike } from './PageLike.ts';

/**
 * A Playwright assertion: every range case of `url`, fetched from inside `page`, is answered
 * as RFC 9110 prescribes. On failure the message is the readable report. Resolves with it.
 */
export async function expectRangeConformance(
  page: PageLike,
  url: string,
  options: CheckRangesOptions,
): Promise<RangeReport> {
  const report = await checkRanges(page, url, options);
  expect(
    report.failures.map((f) => f.case.name),
    `range cases answered wrongly:\n${report.text}`,
  ).toEqual([]);
  return report;
}
