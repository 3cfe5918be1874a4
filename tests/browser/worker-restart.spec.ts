import { chunkRequests, loggedRange, syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import {
  createSession,
  digestRangesInPage,
  sessionStats,
  storedChunkIndexes,
  waitForStoredChunks,
} from './support/inPage.ts';
import { stopWorkers } from './support/stopWorkers.ts';

const CHUNK = 64 * 1024;
const SIZE = 12 * CHUNK + 999;
const PATH = `/synthetic/${SIZE}`;

test('workerStopped_sessionSurvives_storedChunksNotRefetched', async ({ proxyPage, origin }) => {
  const session = await createSession(proxyPage, `${origin.url}${PATH}?seed=21`, {
    chunkSize: CHUNK,
    prefetch: 0,
  });
  const [half] = await digestRangesInPage(proxyPage, session.url, [`bytes=0-${6 * CHUNK - 1}`]);
  expect(half?.sha256).toBe(syntheticDigest(21, 0, 6 * CHUNK - 1));
  const before = chunkRequests(origin.log, PATH).map((e) => loggedRange(e).start / CHUNK);
  expect(before.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);

  await stopWorkers(proxyPage);

  // The page is still controlled; the next request starts a fresh worker with empty globals.
  const got = await digestRangesInPage(proxyPage, session.url, [
    `bytes=${CHUNK + 7}-`,
    'bytes=100-200',
  ]);
  expect(got[0]?.status).toBe(206);
  expect(got[0]?.sha256).toBe(syntheticDigest(21, CHUNK + 7, SIZE - 1));
  expect(got[1]?.sha256).toBe(syntheticDigest(21, 100, 200));
  const after = chunkRequests(origin.log, PATH).map((e) => loggedRange(e).start / CHUNK);
  // Only chunks 6..12 were downloaded after the restart; 0..5 came from IndexedDB.
  expect(after.slice(before.length).sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 10, 11, 12]);
  const stats = await sessionStats(proxyPage, session.id);
  expect(stats.chunks.stored).toBe(13);
  // The counters live in worker memory: they only saw what the new worker downloaded.
  expect(stats.bytesDownloaded).toBe(SIZE - 6 * CHUNK);
});

test('workerStoppedMidStream_nextRangesCorrect', async ({ proxyPage, origin }) => {
  origin.setKnobs('/synthetic/', { rate: 1_000_000 });
  const session = await createSession(proxyPage, `${origin.url}${PATH}?seed=22`, {
    chunkSize: CHUNK,
    concurrency: 2,
  });
  // Start an open-ended read and take its first piece, as a media element would.
  const firstPiece = await proxyPage.evaluate(async (url) => {
    const response = await fetch(url, { headers: { Range: 'bytes=0-' } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    (window as unknown as { pending: unknown }).pending = reader;
    return value?.byteLength ?? 0;
  }, session.url);
  expect(firstPiece).toBeGreaterThan(0);
  // The first piece may leave before chunk 0 is stored (pieces are sent as they arrive).
  await waitForStoredChunks(proxyPage, session.id, 1);

  await stopWorkers(proxyPage);
  const stopped = performance.now(); // the origin runs in this process: same clock as its log
  // What the stopped worker had committed (a chunk whose bytes arrived but were not yet written
  // when the worker died is not stored, and is rightly downloaded again).
  const stored = await storedChunkIndexes(proxyPage, session.cacheKey);
  expect(stored.length).toBeGreaterThan(0);
  origin.setKnobs('/synthetic/', {});

  const ranges = ['bytes=0-', `bytes=${5 * CHUNK - 3}-${9 * CHUNK + 3}`, `bytes=-${CHUNK + 1}`];
  const got = await digestRangesInPage(proxyPage, session.url, ranges);
  expect(got[0]?.sha256).toBe(syntheticDigest(22, 0, SIZE - 1));
  expect(got[1]?.sha256).toBe(syntheticDigest(22, 5 * CHUNK - 3, 9 * CHUNK + 3));
  expect(got[2]?.sha256).toBe(syntheticDigest(22, SIZE - CHUNK - 1, SIZE - 1));
  // Nothing the first worker had stored was downloaded again by the second.
  const refetched = chunkRequests(origin.log, PATH)
    .filter((e) => e.start > stopped)
    .map((e) => loggedRange(e).start / CHUNK);
  expect(refetched.filter((i) => stored.includes(i))).toEqual([]);
  expect(new Set([...stored, ...refetched]).size).toBe(13);
});
