import { syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage, sessionStats } from './support/inPage.ts';
import { playAndSeek } from './support/media.ts';

const CHUNK = 64 * 1024;

test('ignoredRanges_singleMode_rangesStillExact', async ({ proxyPage, origin }) => {
  const size = 5 * CHUNK + 17;
  origin.setKnobs('/synthetic/', { ignoreRange: true });
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=5`, {
    chunkSize: CHUNK,
  });
  const cases = [
    { header: 'bytes=0-0', start: 0, end: 0 },
    { header: 'bytes=100-', start: 100, end: size - 1 },
    { header: 'bytes=-300', start: size - 300, end: size - 1 },
    { header: `bytes=${CHUNK - 3}-${2 * CHUNK + 3}`, start: CHUNK - 3, end: 2 * CHUNK + 3 },
  ];
  const got = await digestRangesInPage(
    proxyPage,
    session.url,
    cases.map((c) => c.header),
  );
  for (const [i, c] of cases.entries()) {
    expect(got[i]?.status, c.header).toBe(206);
    expect(got[i]?.contentRange, c.header).toBe(`bytes ${c.start}-${c.end}/${size}`);
    expect(got[i]?.sha256, c.header).toBe(syntheticDigest(5, c.start, c.end));
  }
  const [whole] = await digestRangesInPage(proxyPage, session.url, [null]);
  expect(whole?.status).toBe(200);
  expect(whole?.sha256).toBe(syntheticDigest(5, 0, size - 1));

  const stats = await sessionStats(proxyPage, session.id);
  expect(stats.mode).toBe('single');
  expect(stats.reason).toMatch(/ignores Range/);
  expect(stats.chunks.stored).toBe(0);
});

test('ignoredRanges_singleMode_videoPlaysAndSeeks', async ({ proxyPage, origin }) => {
  origin.setKnobs('/files/', { ignoreRange: true });
  const session = await createSession(proxyPage, `${origin.url}/files/sample.webm`);
  const result = await playAndSeek(proxyPage, session.url, 2, [30, 50]);
  expect(result.seekedAt[1]).toBeCloseTo(50, 0);
  expect((await sessionStats(proxyPage, session.id)).mode).toBe('single');
});

test('hiddenHeaders_parallelWithLengthOnlyValidation', async ({ proxyPage, origin }) => {
  const size = 6 * CHUNK + 1;
  origin.setKnobs('/synthetic/', { noExpose: true });
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=6`, {
    chunkSize: CHUNK,
  });
  const [r] = await digestRangesInPage(proxyPage, session.url, ['bytes=10-']);
  expect(r?.status).toBe(206);
  expect(r?.contentRange).toBe(`bytes 10-${size - 1}/${size}`);
  expect(r?.sha256).toBe(syntheticDigest(6, 10, size - 1));
  const stats = await sessionStats(proxyPage, session.id);
  expect(stats.mode).toBe('parallel');
  expect(stats.validation).toBe('length-only');
  expect(stats.chunks.stored).toBe(7);
});

test('chunkKeepsFailing_requestFallsBackToSingle_bytesExact', async ({ proxyPage, origin }) => {
  const size = 4 * CHUNK;
  // Serial downloads (concurrency 1, no prefetch): request 1 is the probe, 2 is chunk 0, and
  // 3..6 are chunk 1's four attempts (1 + 3 retries), all failing; 7 is the single-mode fallback.
  origin.setKnobs('/synthetic/', { failNth: [3, 4, 5, 6], failStatus: 503 });
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=8`, {
    chunkSize: CHUNK,
    concurrency: 1,
    prefetch: 0,
  });
  const [r] = await digestRangesInPage(proxyPage, session.url, ['bytes=0-']);
  expect(r?.status).toBe(206);
  expect(r?.sha256).toBe(syntheticDigest(8, 0, size - 1));
  const stats = await sessionStats(proxyPage, session.id);
  expect(stats.retries).toBe(3);
  expect(stats.fallbacks).toBe(1);
  expect(stats.failedChunks).toEqual([1]);
  expect(stats.reason).toMatch(/fell back to single mode at byte 65536/);
  // Nothing that failed was stored: only chunk 0 is.
  expect(stats.chunks.stored).toBe(1);
});

test('wrongContentRange_chunkRejected_neverStored', async ({ proxyPage, origin }) => {
  const size = 3 * CHUNK;
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=10`, {
    chunkSize: CHUNK,
    concurrency: 1,
    prefetch: 0,
  });
  // Probe first with honest answers, then every chunk answer lies about its Content-Range.
  const [probe] = await digestRangesInPage(proxyPage, session.url, ['bytes=0-0']);
  expect(probe?.status).toBe(206);
  origin.setKnobs('/synthetic/', { wrongContentRange: true });
  const [r] = await digestRangesInPage(proxyPage, session.url, ['bytes=70000-70009']);
  // The single-mode fallback checks Content-Range too: an upstream that lies gets a 502.
  expect(r?.status).toBe(502);
  const stats = await sessionStats(proxyPage, session.id);
  expect(stats.chunks.stored).toBe(1);
  expect(stats.failedChunks).toEqual([1]);
});
