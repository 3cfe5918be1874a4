import { fetchCases } from './fetchCases.ts';
import { fetchValidators } from './fetchValidators.ts';
import { type DigestOf, judgeCase } from './judgeCase.ts';
import type { PageLike } from './PageLike.ts';
import { type RangeCase, type RangeCaseOptions, rangeCases } from './rangeCases.ts';
import { sha256Hex } from './sha256Hex.ts';
import type { Validators } from './validatorCases.ts';

export interface CheckRangesOptions extends Omit<RangeCaseOptions, 'validators'> {
  /** The representation's length in bytes. */
  size: number;
  /** The representation's bytes, to compare bodies against (or give `sha256Of`). */
  bytes?: Uint8Array;
  /**
   * SHA-256 (hex) of bytes `start..end` inclusive: for a representation too big to hold.
   * A cross-origin URL must expose `Content-Range` (`Access-Control-Expose-Headers`).
   */
  sha256Of?: (start: number, end: number) => string | Promise<string>;
  /**
   * The endpoint's validators for the validator cases (`validatorCases`): by default learned from
   * its answer to `bytes=0-0`; given, no request is made for them; `false` leaves those cases out
   * (the other conditional cases stay, see `preconditions`).
   */
  validators?: Validators | false;
  /** The cases to run (default `rangeCases(size, { chunkSize, preconditions, validators })`). */
  cases?: RangeCase[];
}

export interface CaseResult {
  case: RangeCase;
  /** What was wrong, one line each; empty when the answer was right. */
  problems: string[];
  /** SHOULDs not followed (reported, not failures). */
  warnings: string[];
  status: number;
  contentRange: string | null;
}

/** What `checkRanges` found: every case's result, and the failed ones. */
export interface RangeReport {
  url: string;
  size: number;
  /** The validators the validator cases used; null when the cases were given or left out. */
  validators: Validators | null;
  results: CaseResult[];
  failures: CaseResult[];
  /** A readable report: one line per case, the problems of each failed one below it. */
  text: string;
}

/**
 * Fetch every range case of `url` from inside `page` (so a service worker controlling the page
 * answers), compare status, headers and exact bytes with what RFC 9110 prescribes, and report.
 * Never throws for a wrong answer: look at `failures`, or use `expectRangeConformance`.
 */
export async function checkRanges(
  page: PageLike,
  url: string,
  options: CheckRangesOptions,
): Promise<RangeReport> {
  const { size } = options;
  const digestOf = digester(options);
  const validators =
    options.cases || options.preconditions === false || options.validators === false
      ? null
      : (options.validators ?? (await fetchValidators(page, url)));
  const cases =
    options.cases ??
    rangeCases(size, {
      chunkSize: options.chunkSize,
      preconditions: options.preconditions,
      ...(validators && { validators }),
    });
  const fetched = await fetchCases(page, url, cases);
  const results: CaseResult[] = [];
  for (const [i, c] of cases.entries()) {
    const got = fetched[i];
    if (!got) throw new Error(`checkRanges: no answer recorded for case ${c.name}`);
    results.push({
      case: c,
      ...(await judgeCase(c, got, size, digestOf)),
      status: got.status,
      contentRange: got.headers['content-range'] ?? null,
    });
  }
  const failures = results.filter((r) => r.problems.length > 0);
  return {
    url,
    size,
    validators,
    results,
    failures,
    text: formatReport(url, size, validators, results),
  };
}

function digester(options: CheckRangesOptions): DigestOf {
  const { bytes, sha256Of } = options;
  if (sha256Of) return async (start, end) => sha256Of(start, end);
  if (!bytes) throw new TypeError('checkRanges: give the expected `bytes` or `sha256Of`.');
  if (bytes.length !== options.size)
    throw new RangeError(`checkRanges: ${bytes.length} bytes given for a size of ${options.size}.`);
  return (start, end) => sha256Hex(bytes.subarray(start, end + 1));
}

function formatReport(
  url: string,
  size: number,
  validators: Validators | null,
  results: CaseResult[],
): string {
  const failed = results.filter((r) => r.problems.length > 0).length;
  const lines = [
    `${url} (${size} bytes): ${results.length - failed} of ${results.length} cases right`,
  ];
  if (validators)
    lines.push(
      `  validators: ETag ${validators.etag ?? '(none, or not exposed)'}, Last-Modified ${validators.lastModified ?? '(none)'}`,
    );
  for (const r of results) {
    const request = `${r.case.method} ${r.case.range ?? '(no Range)'}`;
    lines.push(`  ${r.problems.length ? '✗' : '✓'} ${r.case.name}: ${request} → ${r.status}`);
    for (const problem of r.problems) lines.push(`      ${problem} (${r.case.why})`);
    for (const warning of r.warnings) lines.push(`      warning: ${warning}`);
  }
  return lines.join('\n');
}
