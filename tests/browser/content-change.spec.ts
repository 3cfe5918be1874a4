import { chunkRequests, syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import {
  createSession,
  digestRangesInPage,
  sessionStats,
  storedChunkIndexes,
} from './support/inPage.ts';

const CHUNK = 64 * 1024;
const SIZE = 8 * CHUNK;

test('upstreamChanged_oldChunksDropped_newBytesServed', async ({ proxyPage, origin }) => {
  // Requests 1-4 (probe + chunks 0..2) see seed 40; from the 5th on, the origin serves seed 41
  // under a new ETag (the `changeAfter` knob).
  origin.setKnobs('/synthetic/', { changeAfter: 4 });
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${SIZE}?seed=40`, {
    chunkSize: CHUNK,
    concurrency: 1,
    prefetch: 0,
  });
  const [old] = await digestRangesInPage(proxyPage, session.url, [`bytes=0-${3 * CHUNK - 1}`]);
  expect(old?.sha256).toBe(syntheticDigest(40, 0, 3 * CHUNK - 1));
  expect(await storedChunkIndexes(proxyPage, session.cacheKey)).toEqual([0, 1, 2]);

  // Chunk 5's download sees the new ETag: the proxy drops chunks 0..2, re-probes and answers
  // from the new content — the response never mixes old and new bytes.
  const [fresh] = await digestRangesInPage(proxyPage, session.url, [
    `bytes=${5 * CHUNK}-${6 * CHUNK - 1}`,
  ]);
  expect(fresh?.status).toBe(206);
  expect(fresh?.sha256).toBe(syntheticDigest(41, 5 * CHUNK, 6 * CHUNK - 1));
  const [start] = await digestRangesInPage(proxyPage, session.url, [`bytes=0-${CHUNK - 1}`]);
  expect(start?.sha256).toBe(syntheticDigest(41, 0, CHUNK - 1));
  expect(await storedChunkIndexes(proxyPage, session.cacheKey)).toEqual([0, 5]);
  // Chunk 0 was downloaded twice: once per version.
  const chunk0 = chunkRequests(origin.log, `/synthetic/${SIZE}`).filter(
    (e) => e.range === `bytes=0-${CHUNK - 1}` && !e.aborted,
  );
  expect(chunk0).toHaveLength(2);
  expect((await sessionStats(proxyPage, session.id)).mode).toBe('parallel');
});
