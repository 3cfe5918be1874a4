import { chunkRequests, syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage } from './support/inPage.ts';

const CHUNK = 64 * 1024;
const SIZE = 6 * CHUNK;

test('signedUrlsSharingACacheKey_shareChunks_newestUrlIsFetched', async ({ proxyPage, origin }) => {
  const path = `/synthetic/${SIZE}`;
  // Two "signed" URLs of one file: different tokens, one cache key.
  const first = await createSession(proxyPage, `${origin.url}${path}?seed=70&token=old`, {
    cacheKey: 'film-70',
    chunkSize: CHUNK,
    prefetch: 0,
  });
  const [a] = await digestRangesInPage(proxyPage, first.url, [`bytes=0-${2 * CHUNK - 1}`]);
  expect(a?.sha256).toBe(syntheticDigest(70, 0, 2 * CHUNK - 1));

  const second = await createSession(proxyPage, `${origin.url}${path}?seed=70&token=new`, {
    cacheKey: 'film-70',
    chunkSize: CHUNK,
    prefetch: 0,
  });
  const [b] = await digestRangesInPage(proxyPage, second.url, [null]);
  expect(b?.sha256).toBe(syntheticDigest(70, 0, SIZE - 1));
  const requests = chunkRequests(origin.log, path);
  // Chunks 0-1 came from the cache; 2-5 were fetched with the newest session's URL.
  expect(
    requests.map((e) => [e.range, new URL(e.url, origin.url).searchParams.get('token')]),
  ).toEqual([
    [`bytes=0-${CHUNK - 1}`, 'old'],
    [`bytes=${CHUNK}-${2 * CHUNK - 1}`, 'old'],
    [`bytes=${2 * CHUNK}-${3 * CHUNK - 1}`, 'new'],
    [`bytes=${3 * CHUNK}-${4 * CHUNK - 1}`, 'new'],
    [`bytes=${4 * CHUNK}-${5 * CHUNK - 1}`, 'new'],
    [`bytes=${5 * CHUNK}-${6 * CHUNK - 1}`, 'new'],
  ]);
});
