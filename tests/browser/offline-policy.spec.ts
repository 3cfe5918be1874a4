import type { Knobs } from '../../tools/origin/index.ts';
import { syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage, fetchInPage } from './support/inPage.ts';
import { stopWorkers } from './support/stopWorkers.ts';

const CHUNK = 64 * 1024;

/**
 * Offline means offline however the network is down: after a worker restart, a media we hold is
 * served from its stored chunks when the upstream answers 403 (an expired token), 503, or a
 * captive portal's HTML page — never the portal's bytes, never a refusal — and a hole in it
 * answers 504 `offline-missing` with the reason.
 */
const REFUSALS: [string, Knobs][] = [
  ['403 (expired token)', { status: 403 }],
  ['503', { status: 503 }],
  ['captive portal 200 text/html', { portal: true }],
];

for (const [name, knobs] of REFUSALS) {
  test(`storedMedia_upstreamAnswers ${name}_storedBytesServed_holes504`, async ({
    proxyPage,
    origin,
  }) => {
    const size = 6 * CHUNK + 77;
    const path = `/synthetic/${size}`;
    const session = await createSession(proxyPage, `${origin.url}${path}?seed=91`, {
      chunkSize: CHUNK,
      prefetch: 0,
    });
    // Chunks 0-3 stored; 4-6 never asked for.
    await digestRangesInPage(proxyPage, session.url, [`bytes=0-${4 * CHUNK - 1}`]);
    await stopWorkers(proxyPage); // the next request opens the media anew: a probe first
    origin.setKnobs('/synthetic/', knobs);

    const [stored, part] = await digestRangesInPage(proxyPage, session.url, [
      `bytes=0-${4 * CHUNK - 1}`,
      `bytes=${CHUNK + 5}-${3 * CHUNK}`,
    ]);
    expect(stored?.status).toBe(206);
    expect(stored?.sha256).toBe(syntheticDigest(91, 0, 4 * CHUNK - 1));
    expect(part?.sha256).toBe(syntheticDigest(91, CHUNK + 5, 3 * CHUNK));
    const head = await fetchInPage(proxyPage, session.url, { headers: { Range: 'bytes=0-1' } });
    expect(head.headers['content-type']).not.toMatch(/html/);

    const hole = await fetchInPage(proxyPage, session.url, {
      headers: { Range: `bytes=${5 * CHUNK}-` },
    });
    expect(hole.status).toBe(504);
    const reason = JSON.parse(hole.body.toString('utf8'));
    expect(reason.error).toBe('offline-missing');
    expect(reason.missing).toEqual({ start: 5 * CHUNK, end: size - 1 });

    // Nothing was wiped: the stored chunks are all still there.
    const list = await proxyPage.evaluate(() => window.chunkwise?.cache.list());
    expect(list?.find((e) => e.key === session.cacheKey)?.storedChunkRanges).toEqual([[0, 3]]);
  });
}
