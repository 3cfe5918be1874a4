import type { CacheEntry } from '../../src/shared/types.ts';
import { syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage, fetchInPage } from './support/inPage.ts';

const CHUNK = 64 * 1024;

test('databaseDeletedByAPageWhileTheWorkerHasItOpen_notBlocked_servingGoesOn_cachedAgain', async ({
  proxyPage,
  origin,
}) => {
  const size = 5 * CHUNK + 9;
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=97`, {
    chunkSize: CHUNK,
    persistHeaders: true,
  });
  const [first] = await digestRangesInPage(proxyPage, session.url, [null]);
  expect(first?.sha256).toBe(syntheticDigest(97, 0, size - 1));

  // The page deletes the worker's database (as "clear site data" would): it must succeed, not
  // stay blocked behind the worker's open connection.
  const outcome = await proxyPage.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const request = indexedDB.deleteDatabase('chunkwise');
        request.onsuccess = () => resolve('deleted');
        request.onerror = () => resolve(`error ${request.error?.name}`);
        request.onblocked = () => resolve('blocked');
      }),
  );
  expect(outcome).toBe('deleted');

  // Serving goes on byte-exact, and the media is cached again in the new database.
  const [again] = await digestRangesInPage(proxyPage, session.url, [null]);
  expect(again?.sha256).toBe(syntheticDigest(97, 0, size - 1));
  const [third] = await digestRangesInPage(proxyPage, session.url, [`bytes=7-${3 * CHUNK}`]);
  expect(third?.sha256).toBe(syntheticDigest(97, 7, 3 * CHUNK));
  const list = (await proxyPage.evaluate(() => window.chunkwise?.cache.list())) as CacheEntry[];
  expect(list.find((e) => e.key === session.cacheKey)?.storedChunks).toBeGreaterThan(0);
});

test('twoSessionsOneCacheKey_otherContent_409ForTheSecond_firstUntouched', async ({
  proxyPage,
  origin,
}) => {
  const size = 4 * CHUNK;
  const a = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=98`, {
    chunkSize: CHUNK,
    cacheKey: 'shared-key',
  });
  await digestRangesInPage(proxyPage, a.url, [null]);
  // Same key, another file (another seed: same size, no validators in common → other ETag).
  const b = await createSession(proxyPage, `${origin.url}/synthetic/${size + 1}?seed=99`, {
    chunkSize: CHUNK,
    cacheKey: 'shared-key',
  });
  const conflict = await fetchInPage(proxyPage, b.url, { headers: { Range: 'bytes=0-9' } });
  expect(conflict.status).toBe(409);
  expect(JSON.parse(conflict.body.toString('utf8')).error).toBe('cache-key-conflict');
  const [still] = await digestRangesInPage(proxyPage, a.url, [null]);
  expect(still?.sha256).toBe(syntheticDigest(98, 0, size - 1));
});

test('upstreamNeverSendsHeaders_504UpstreamTimeout_notAHang', async ({ proxyPage, origin }) => {
  // Every response's headers come after 25 s: past the 15 s header deadline (the default).
  origin.setKnobs('/synthetic/', { ttfb: 25_000 });
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${4 * CHUNK}?seed=95`, {
    chunkSize: CHUNK,
  });
  const answer = await fetchInPage(proxyPage, session.url, { headers: { Range: 'bytes=0-99' } });
  expect(answer.status).toBe(504);
  expect(JSON.parse(answer.body.toString('utf8')).error).toBe('upstream-timeout');
});
