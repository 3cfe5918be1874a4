import type { SessionStats } from '../../src/shared/types.ts';
import { syntheticBytes } from '../../tools/origin/index.ts';
import { chunkRequests, loggedRange, maxOverlap, syntheticDigest } from './support/expected.ts';
import { expect, openApp, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage, sessionStats } from './support/inPage.ts';

const CHUNK = 64 * 1024;

test('rateCappedUpstream_NDownloadsOverlap_neverMoreThanN', async ({ proxyPage, origin }) => {
  const size = 16 * CHUNK;
  const path = `/synthetic/${size}`;
  // Every chunk response stops after 1000 bytes until released: the first four downloads are on
  // the wire together whatever the machine's speed.
  origin.setKnobs('/synthetic/', { holdAfter: 1000 });
  const session = await createSession(proxyPage, `${origin.url}${path}?seed=31`, {
    chunkSize: CHUNK,
    concurrency: 4,
    prefetch: 15,
  });
  const read = digestRangesInPage(proxyPage, session.url, [null]);
  const firstFour = [0, 1, 2, 3].map((i) => `bytes=${i * CHUNK}-${(i + 1) * CHUNK - 1}`);
  // (Each on its own connection: they may reach the origin in any order.)
  await Promise.all(
    firstFour.map((range) => origin.whenRequest((e) => e.path === path && e.range === range)),
  );
  // Four held downloads, and the fifth not asked for: the slots are full.
  expect(
    chunkRequests(origin.log, path)
      .map((e) => e.range)
      .sort(),
  ).toEqual(firstFour.sort());
  origin.releaseHeld();
  const [r] = await read;
  expect(r?.sha256).toBe(syntheticDigest(31, 0, size - 1));
  const chunks = chunkRequests(origin.log, path);
  expect(chunks).toHaveLength(16);
  // What the proxy decided, never how long it took (a busy/span ratio failed on loaded machines):
  // the upstream saw four chunk downloads at once and never a fifth, and the scheduler's own
  // record agrees.
  expect(maxOverlap(chunks)).toBe(4);
  const stats = await sessionStats(proxyPage, session.id);
  expect(stats.chunks.peakInFlight).toBe(4);
});

test('seek_dropsPrefetchesOutsideEveryWindow', async ({ proxyPage, origin }) => {
  const size = 40 * CHUNK;
  const path = `/synthetic/${size}`;
  // Every chunk response stops after 1000 bytes until released: the seek below lands while the
  // first window's downloads are far from half in (a dropped prefetch past half is finished
  // instead of aborted), whatever the machine's speed. The far read needs 11 bytes only.
  origin.setKnobs('/synthetic/', { holdAfter: 1000 });
  const session = await createSession(proxyPage, `${origin.url}${path}?seed=32`, {
    chunkSize: CHUNK,
    concurrency: 2,
    prefetch: 8,
  });
  // A reader at the start opens a window of 8 chunks, then the "player" seeks far away.
  await proxyPage.evaluate(async (url) => {
    const response = await fetch(url, { headers: { Range: 'bytes=0-' } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
  }, session.url);
  // The page's cancel resolves before the worker's body hears of it (another process, and the
  // body's cancel() works a task later, see createChunkedBody): wait until that reader is gone,
  // or the seek below would still find its window open and keep its downloads.
  await expect.poll(async () => (await sessionStats(proxyPage, session.id)).readers).toBe(0);
  const far = await proxyPage.evaluate(
    async ({ url, from }) => {
      const response = await fetch(url, { headers: { Range: `bytes=${from}-` } });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const { value } = await reader.read();
      await reader.cancel();
      return value ? [...value.subarray(0, 11)] : [];
    },
    { url: session.url, from: 30 * CHUNK },
  );
  expect(far).toEqual([...syntheticBytes(32, 30 * CHUNK, 30 * CHUNK + 11)]);
  // The proxy aborted what it dropped; held responses end only when that abort reaches the
  // origin, which must happen before the release (or a late one would just finish sending).
  await expect
    .poll(() => chunkRequests(origin.log, path).some((e) => e.aborted), {
      message: 'a dropped download aborted on the wire',
    })
    .toBe(true);
  origin.releaseHeld();
  await origin.whenIdle();
  const fetched = chunkRequests(origin.log, path);
  const completedEarly = fetched.filter((e) => !e.aborted && loggedRange(e).start < 30 * CHUNK);
  const aborted = fetched.filter((e) => e.aborted);
  // Of the first window (chunks 1..8) only what was running could finish or be aborted; the
  // queued rest never reached the origin.
  expect(completedEarly.length + aborted.length).toBeLessThan(9);
  expect(aborted.length).toBeGreaterThan(0);
  const stats = await sessionStats(proxyPage, session.id);
  expect(stats.chunks.queued).toBeLessThanOrEqual(8);
});

test('twoTabs_shareOneDownloadPerChunk', async ({ proxyPage, origin, app, store }) => {
  const size = 12 * CHUNK;
  const path = `/synthetic/${size}`;
  origin.setKnobs('/synthetic/', { rate: 1_000_000 });
  const session = await createSession(proxyPage, `${origin.url}${path}?seed=33`, {
    chunkSize: CHUNK,
    concurrency: 3,
  });
  const second = await proxyPage.context().newPage();
  await openApp(second, app.url, origin.url, store);
  const [a, b] = await Promise.all([
    digestRangesInPage(proxyPage, session.url, [null]),
    digestRangesInPage(second, session.url, [null]),
  ]);
  const whole = syntheticDigest(33, 0, size - 1);
  expect(a[0]?.sha256).toBe(whole);
  expect(b[0]?.sha256).toBe(whole);
  const ranges = chunkRequests(origin.log, path).map((e) => e.range);
  expect(ranges).toHaveLength(12);
  expect(new Set(ranges).size).toBe(12);
});

test('closeSession_abortsDownloads_keepsChunks', async ({ proxyPage, origin }) => {
  const size = 30 * CHUNK;
  const path = `/synthetic/${size}`;
  origin.setKnobs('/synthetic/', { rate: 50_000 });
  const session = await createSession(proxyPage, `${origin.url}${path}?seed=34`, {
    chunkSize: CHUNK,
    concurrency: 3,
    prefetch: 10,
  });
  await proxyPage.evaluate(async (url) => {
    const response = await fetch(url, { headers: { Range: 'bytes=0-' } });
    await (response.body as ReadableStream<Uint8Array>).getReader().read();
  }, session.url);
  // Chunks 0-2 run to the end; every request after them holds after 1000 bytes (knobs are fixed
  // when a request arrives), so 3-5 are on the wire when we close and end only if aborted, and
  // no other download can start: the three slots stay full.
  // (Each on its own connection: they may reach the origin in any order.)
  await Promise.all(
    [0, 1, 2].map((i) =>
      origin.whenRequest(
        (e) => e.path === path && e.range === `bytes=${i * CHUNK}-${(i + 1) * CHUNK - 1}`,
      ),
    ),
  );
  origin.setKnobs('/synthetic/', { rate: 50_000, holdAfter: 1000 });
  await origin.whenRequest(
    (e) => e.path === path && e.range === `bytes=${5 * CHUNK}-${6 * CHUNK - 1}`,
  );
  await proxyPage.evaluate((id) => window.chunkwise?.closeSession(id), session.id);
  const closed = performance.now(); // the origin runs in this process: same clock as its log
  await origin.whenIdle(); // nothing is released: held downloads end only by the proxy's abort
  const chunks = chunkRequests(origin.log, path);
  expect(chunks.filter((e) => e.aborted).length).toBeGreaterThan(0);
  // Nothing ran on after the close had returned, and nothing new started.
  for (const e of chunks.filter((e) => (e.end as number) > closed)) {
    expect(e.aborted, `${e.range} aborted`).toBe(true);
  }
  expect(chunks.filter((e) => e.start > closed)).toEqual([]);

  // The session is gone; its chunks are not: a new session on the same URL reads them from cache.
  const gone = await digestRangesInPage(proxyPage, session.url, ['bytes=0-0']);
  expect(gone[0]?.status).toBe(404);
  origin.setKnobs('/synthetic/', {});
  const again = await createSession(proxyPage, `${origin.url}${path}?seed=34`, {
    chunkSize: CHUNK,
    prefetch: 0,
  });
  const [first] = await digestRangesInPage(proxyPage, again.url, [`bytes=0-${CHUNK - 1}`]);
  expect(first?.sha256).toBe(syntheticDigest(34, 0, CHUNK - 1));
  const refetched = chunkRequests(origin.log, path).filter(
    (e) => e.range === `bytes=0-${CHUNK - 1}`,
  );
  expect(refetched).toHaveLength(1);
});

test('stats_pushedToPages', async ({ proxyPage, origin }) => {
  const size = 8 * CHUNK;
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=35`, {
    chunkSize: CHUNK,
  });
  const pushed = proxyPage.evaluate(
    (id) =>
      new Promise<SessionStats>((resolve) => {
        const stop = window.chunkwise?.onStats((s) => {
          // Pushes are coalesced: wait for one taken after the reader's last piece, too.
          const served = s.cacheHitBytes === s.size;
          if (s.id === id && s.chunks.stored === s.chunks.total && s.chunks.total > 0 && served) {
            stop?.();
            resolve(s);
          }
        });
      }),
    session.id,
  );
  await digestRangesInPage(proxyPage, session.url, [null]);
  const stats = await pushed;
  expect(stats.mode).toBe('parallel');
  expect(stats.bytesDownloaded).toBe(size);
  expect(stats.chunks).toMatchObject({ total: 8, stored: 8, failed: 0 });
  expect(stats.cacheHitBytes).toBe(size);
});

test('slowChunk_firstBytesReachReaderBeforeChunkCompletes', async ({ proxyPage, origin }) => {
  const chunk = 256 * 1024;
  const size = 4 * chunk;
  const path = `/synthetic/${size}`;
  // Chunk 0 stops after 1000 bytes until released: the reader's first bytes can only come from
  // a download still running.
  origin.setKnobs('/synthetic/', { holdAfter: 1000 });
  const session = await createSession(proxyPage, `${origin.url}${path}?seed=36`, {
    chunkSize: chunk,
    concurrency: 1,
    prefetch: 0,
  });
  const first = await proxyPage.evaluate(async (url) => {
    const response = await fetch(url, { headers: { Range: 'bytes=10-' } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    await reader.cancel();
    return {
      status: response.status,
      bytes: value ? [...value.subarray(0, 16)] : [],
      length: value?.byteLength ?? 0,
    };
  }, session.url);
  // The worker answered with the chunk's first bytes while its download was still running.
  const chunk0 = chunkRequests(origin.log, path).find((e) => e.range === `bytes=0-${chunk - 1}`);
  expect(chunk0?.end).toBeNull();
  expect(first.status).toBe(206);
  expect(first.length).toBeGreaterThan(0);
  expect(first.length).toBeLessThan(chunk - 10);
  expect(first.bytes).toEqual([...syntheticBytes(36, 10, 26)]);
});

test('seekDeepIntoSlowChunk_catchUpReadServesIt_downloadGoesOn', async ({ proxyPage, origin }) => {
  const chunk = 256 * 1024;
  const size = 4 * chunk;
  const path = `/synthetic/${size}`;
  // Every response stops after 1000 bytes until released: chunk 0's download is far behind the
  // reader, and still running when the catch-up read answers, whatever the machine's speed.
  origin.setKnobs('/synthetic/', { holdAfter: 1000 });
  const session = await createSession(proxyPage, `${origin.url}${path}?seed=37`, {
    chunkSize: chunk,
    concurrency: 1,
    prefetch: 0,
  });
  // 200 000 bytes into chunk 0, whose download has 1000: waiting would take as long as it holds.
  const first = await proxyPage.evaluate(async (url) => {
    const response = await fetch(url, { headers: { Range: 'bytes=200000-' } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    await reader.cancel();
    return { status: response.status, bytes: value ? [...value.subarray(0, 16)] : [] };
  }, session.url);
  expect(first.status).toBe(206);
  expect(first.bytes).toEqual([...syntheticBytes(37, 200000, 200016)]);
  const requests = chunkRequests(origin.log, path);
  // The catch-up read asked exactly for the rest of chunk 0; chunk 0's own download still runs.
  expect(requests.map((e) => e.range).sort()).toEqual([
    `bytes=0-${chunk - 1}`,
    `bytes=200000-${chunk - 1}`,
  ]);
  expect(requests.find((e) => e.range === `bytes=0-${chunk - 1}`)?.end).toBeNull();
  expect((await sessionStats(proxyPage, session.id)).catchUpReads).toBe(1);
});

test('coldMedia_firstChunkRequestedAlongsideTheProbe', async ({ proxyPage, origin }) => {
  const size = 4 * CHUNK;
  const path = `/synthetic/${size}`;
  // Every response waits before its headers until released: chunk 0 can only be asked for
  // while the probe has no answer if the proxy sends both at once.
  origin.setKnobs('/synthetic/', { holdHeaders: true });
  const session = await createSession(proxyPage, `${origin.url}${path}?seed=38`, {
    chunkSize: CHUNK,
  });
  const read = digestRangesInPage(proxyPage, session.url, ['bytes=0-99']);
  // Both requests reach the origin while neither has an answer (every response is held).
  const [probe, chunk] = await Promise.all([
    origin.whenRequest((e) => e.path === path && e.range === 'bytes=0-0'),
    origin.whenRequest((e) => e.path === path && e.range === `bytes=0-${CHUNK - 1}`),
  ]);
  expect([probe.status, chunk.status]).toEqual([0, 0]);
  origin.releaseHeld();
  const [r] = await read;
  expect(r?.sha256).toBe(syntheticDigest(38, 0, 99));
  const chunk0 = origin.log.filter((e) => e.path === path && e.range === `bytes=0-${CHUNK - 1}`);
  // One request for chunk 0, sent while the probe was still waiting for its answer.
  expect(chunk0).toHaveLength(1);
});
