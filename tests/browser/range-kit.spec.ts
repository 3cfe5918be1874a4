/**
 * The testing kit (`chunkwise/testing`) against endpoints other than ours: the origin itself
 * (a correct range server) passes every case, and the origin made deliberately wrong the way
 * other service-worker caches are (Workbox's range handler answers 416 to an over-long last
 * byte; others ignore suffix ranges) fails exactly the cases that show each bug.
 */
import { checkRanges, rangeCases } from 'chunkwise/testing';
import { syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';

const SIZE = 300_000;
const SEED = 4242;
const options = {
  size: SIZE,
  chunkSize: 65_536,
  sha256Of: (start: number, end: number) => syntheticDigest(SEED, start, end),
};
const url = (base: string, quirk = '') => `${base}/synthetic/${SIZE}?seed=${SEED}${quirk}`;

test('correctOrigin_everyCaseRight', async ({ proxyPage, origin }) => {
  const report = await checkRanges(proxyPage, url(origin.url), options);
  expect(report.failures, report.text).toEqual([]);
  // The kit learned the origin's own validators and ran their cases too.
  expect(report.validators).toEqual({
    etag: expect.stringMatching(/^"[^"]+"$/),
    lastModified: expect.stringMatching(/ GMT$/),
  });
  const validators = report.validators ?? undefined;
  expect(report.results.length).toBe(rangeCases(SIZE, { chunkSize: 65_536, validators }).length);
  expect(report.results.map((r) => r.case.name)).toEqual(
    expect.arrayContaining(['If-Range with its ETag', 'If-Modified-Since its Last-Modified']),
  );
});

test('overlongLastByteRefused_kitReportsTheOverlongCases', async ({ proxyPage, origin }) => {
  const report = await checkRanges(proxyPage, url(origin.url, '&overlongRange416=1'), options);
  expect(report.failures.map((f) => f.case.name).sort()).toEqual(
    ['over-long from the middle', 'over-long last byte'].sort(),
  );
  expect(report.failures[0]?.problems).toEqual(['status 416, want 206']);
  expect(report.text).toContain('✗ over-long last byte');
});

test('suffixRangesIgnored_kitReportsTheSuffixCases', async ({ proxyPage, origin }) => {
  const report = await checkRanges(proxyPage, url(origin.url, '&ignoreSuffix=1'), options);
  expect(report.failures.map((f) => f.case.name).sort()).toEqual(
    ['suffix longer than the representation', 'suffix of 1', 'suffix of 500'].sort(),
  );
});

test('preconditionsIgnored_kitReportsTheConditionalCases', async ({ proxyPage, origin }) => {
  // A range server that never evaluates If-Match / If-None-Match / If-Modified-Since /
  // If-Unmodified-Since (If-Range it still honours).
  const report = await checkRanges(proxyPage, url(origin.url, '&ignorePreconditions=1'), options);
  const problems = Object.fromEntries(report.failures.map((f) => [f.case.name, f.problems]));
  expect(problems).toEqual({
    'If-Match that cannot hold': ['status 200, want 412'],
    'If-Match that cannot hold, with a Range': ['status 206, want 412'],
    'If-None-Match: *': ['status 200, want 304'],
    'HEAD with If-None-Match: *': ['status 200, want 304'],
    'If-None-Match with its ETag': ['status 200, want 304'],
    'If-None-Match with its ETag, with a Range': ['status 206, want 304'],
    'If-None-Match with a list holding its ETag': ['status 200, want 304'],
    'HEAD with If-None-Match of its ETag': ['status 200, want 304'],
    'If-Modified-Since its Last-Modified': ['status 200, want 304'],
    'HEAD with If-Modified-Since its Last-Modified': ['status 200, want 304'],
    'If-Match with its ETag marked weak': ['status 206, want 412'],
    'If-None-Match with its ETag marked weak': ['status 200, want 304'],
    'If-Unmodified-Since a second before its Last-Modified': ['status 206, want 412'],
  });
});

test('datesEvaluatedBesideTags_kitReportsThePrecedenceCases', async ({ proxyPage, origin }) => {
  // A server right about each condition alone that also evaluates a date beside its tag.
  const report = await checkRanges(proxyPage, url(origin.url, '&datesBesideTags=1'), options);
  const problems = Object.fromEntries(report.failures.map((f) => [f.case.name, f.problems]));
  expect(problems).toEqual({
    'If-None-Match of another tag, with If-Modified-Since its Last-Modified': [
      'status 304, want 200',
    ],
    'If-Match with its ETag, with If-Unmodified-Since a second before its Last-Modified': [
      'status 412, want 206',
    ],
  });
});

test('preconditionsLeftOut_noConditionalCaseRuns', async ({ proxyPage, origin }) => {
  const report = await checkRanges(proxyPage, url(origin.url, '&ignorePreconditions=1'), {
    ...options,
    preconditions: false,
  });
  expect(report.failures, report.text).toEqual([]);
  expect(report.results.some((r) => r.case.headers !== undefined)).toBe(false);
  expect(report.results.length).toBe(
    rangeCases(SIZE, { chunkSize: 65_536, preconditions: false }).length,
  );
});

test('wrongBytes_kitReportsEveryBodyItChecks', async ({ proxyPage, origin }) => {
  // The right answers from the origin, judged against other content: every body is wrong.
  const report = await checkRanges(proxyPage, url(origin.url), {
    ...options,
    sha256Of: (start, end) => syntheticDigest(SEED + 1, start, end),
  });
  const withBodies = report.results.filter(
    (r) => r.case.method === 'GET' && [200, 206].includes(r.status),
  );
  expect(report.failures.length).toBe(withBodies.length);
  expect(report.failures.every((f) => f.problems.some((p) => p.includes('differ')))).toBe(true);
});
