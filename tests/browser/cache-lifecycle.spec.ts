import type { Page } from '@playwright/test';
import type { CacheEntry, CacheUsage, DownloadProgress } from '../../src/shared/types.ts';
import { chunkRequests, syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { openHeldBody, readHeldBody } from './support/heldBody.ts';
import {
  createSession,
  deleteStoredChunk,
  digestRangesInPage,
  sessionStats,
  storedChunkIndexes,
  waitForStoredChunks,
} from './support/inPage.ts';

const CHUNK = 64 * 1024;

function cacheCall<T>(page: Page, method: 'list' | 'usage' | 'clear' | 'verify'): Promise<T> {
  return page.evaluate(async (m) => {
    if (!window.chunkwise) throw new Error('window.chunkwise is missing');
    return (await window.chunkwise.cache[m]()) as unknown;
  }, method) as Promise<T>;
}

function setBudget(page: Page, bytes: number): Promise<CacheUsage> {
  return page.evaluate((b) => window.chunkwise?.cache.setBudget(b) as Promise<CacheUsage>, bytes);
}

test('lru_threeMediaSmallBudget_oldestLosesChunksFirst', async ({ proxyPage, origin }) => {
  await setBudget(proxyPage, 8 * CHUNK);
  const size = 4 * CHUNK;
  const url = (seed: number) => `${origin.url}/synthetic/${size}?seed=${seed}`;
  const read = async (seed: number) => {
    const s = await createSession(proxyPage, url(seed), { chunkSize: CHUNK, prefetch: 3 });
    const [r] = await digestRangesInPage(proxyPage, s.url, [null]);
    expect(r?.sha256).toBe(syntheticDigest(seed, 0, size - 1));
  };
  await read(51); // A
  await read(52); // B: the budget is now full
  await read(53); // C: A, the least recently used, gives up its chunks
  let list = await cacheCall<CacheEntry[]>(proxyPage, 'list');
  expect(list.map((e) => [e.key, e.storedChunks])).toEqual([
    [url(51), 0],
    [url(52), 4],
    [url(53), 4],
  ]);
  origin.clearLog();
  await read(51); // A again: fetched anew, and now B is the oldest
  expect(chunkRequests(origin.log, `/synthetic/${size}`)).toHaveLength(4);
  list = await cacheCall<CacheEntry[]>(proxyPage, 'list');
  expect(list.map((e) => [e.key, e.storedChunks])).toEqual([
    [url(52), 0],
    [url(53), 4],
    [url(51), 4],
  ]);
  const usage = await cacheCall<CacheUsage>(proxyPage, 'usage');
  expect(usage.storedBytes).toBe(8 * CHUNK);
  expect(usage.peakStoredBytes).toBeLessThanOrEqual(8 * CHUNK);
});

test('fileTenTimesBudget_streamsAndSeeks_storedBytesStayBounded', async ({ proxyPage, origin }) => {
  const budget = 8 * CHUNK;
  const concurrency = 3;
  await setBudget(proxyPage, budget);
  const size = 80 * CHUNK + 777;
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=54`, {
    chunkSize: CHUNK,
    concurrency,
    prefetch: 4,
  });
  const ranges = ['bytes=0-', `bytes=${40 * CHUNK + 5}-`, `bytes=${10 * CHUNK}-${20 * CHUNK}`];
  const got = await digestRangesInPage(proxyPage, session.url, ranges);
  expect(got[0]?.sha256).toBe(syntheticDigest(54, 0, size - 1));
  expect(got[1]?.sha256).toBe(syntheticDigest(54, 40 * CHUNK + 5, size - 1));
  expect(got[2]?.sha256).toBe(syntheticDigest(54, 10 * CHUNK, 20 * CHUNK));
  const usage = await cacheCall<CacheUsage>(proxyPage, 'usage');
  // The worker tracks the highest stored total it ever reached: an exact check, not a sample.
  expect(usage.peakStoredBytes).toBeLessThanOrEqual(budget + concurrency * CHUNK);
  expect(usage.storedBytes).toBeLessThanOrEqual(budget);
  expect((await storedChunkIndexes(proxyPage, session.cacheKey)).length).toBeLessThanOrEqual(8);
});

test('download_progressToFullThenPinnedSurvivesEviction', async ({ proxyPage, origin }) => {
  await setBudget(proxyPage, 8 * CHUNK);
  const size = 4 * CHUNK;
  const url = `${origin.url}/synthetic/${size}?seed=55`;
  const events = await proxyPage.evaluate(
    async ({ url, chunk }) => {
      if (!window.chunkwise) throw new Error('no client');
      const seen: DownloadProgress[] = [];
      const job = await window.chunkwise.download({ url }, { chunkSize: chunk, concurrency: 2 });
      job.onProgress((p) => seen.push(p));
      const last = await job.finished;
      return { seen, last, key: job.key };
    },
    { url, chunk: CHUNK },
  );
  expect(events.last.state).toBe('done');
  expect(events.last.storedBytes).toBe(size);
  expect(events.last.storedChunks).toBe(4);
  expect(events.seen.length).toBeGreaterThan(0);
  expect(events.seen.at(-1)?.storedBytes).toBe(size);
  // Pressure: a file twice the budget streams through; the pinned media keeps every chunk.
  const big = await createSession(proxyPage, `${origin.url}/synthetic/${16 * CHUNK}?seed=56`, {
    chunkSize: CHUNK,
    prefetch: 2,
  });
  const [r] = await digestRangesInPage(proxyPage, big.url, [null]);
  expect(r?.sha256).toBe(syntheticDigest(56, 0, 16 * CHUNK - 1));
  expect(await storedChunkIndexes(proxyPage, url)).toEqual([0, 1, 2, 3]);
  const pinned = (await cacheCall<CacheEntry[]>(proxyPage, 'list')).find((e) => e.key === url);
  expect(pinned?.pinned).toBe(true);
  // Unpinned, it is the oldest and goes first.
  await proxyPage.evaluate((key) => window.chunkwise?.unpin(key), url);
  const again = await createSession(proxyPage, `${origin.url}/synthetic/${16 * CHUNK}?seed=57`, {
    chunkSize: CHUNK,
    prefetch: 2,
  });
  await digestRangesInPage(proxyPage, again.url, [null]);
  expect(await storedChunkIndexes(proxyPage, url)).toEqual([]);
});

test('download_overBudgetPin_refusedNothingEvicted', async ({ proxyPage, origin }) => {
  await setBudget(proxyPage, 8 * CHUNK);
  const small = await createSession(proxyPage, `${origin.url}/synthetic/${4 * CHUNK}?seed=58`, {
    chunkSize: CHUNK,
  });
  await digestRangesInPage(proxyPage, small.url, [null]);
  const before = await cacheCall<CacheUsage>(proxyPage, 'usage');
  const error = await proxyPage.evaluate(
    async (url) => {
      try {
        await window.chunkwise?.download({ url }, { chunkSize: 65536 });
        return null;
      } catch (e) {
        return { code: (e as { code: string }).code, message: (e as Error).message };
      }
    },
    `${origin.url}/synthetic/${9 * CHUNK}?seed=59`,
  );
  expect(error?.code).toBe('over-budget');
  const after = await cacheCall<CacheUsage>(proxyPage, 'usage');
  expect(after.storedBytes).toBe(before.storedBytes);
  expect(await storedChunkIndexes(proxyPage, small.cacheKey)).toEqual([0, 1, 2, 3]);
});

test('download_cancel_stopsNetworkActivity', async ({ proxyPage, origin }) => {
  origin.setKnobs('/synthetic/', { rate: 100_000 });
  const size = 40 * CHUNK;
  const path = `/synthetic/${size}`;
  const url = `${origin.url}${path}?seed=60`;
  await proxyPage.evaluate(
    async ({ url, chunk }) => {
      if (!window.chunkwise) throw new Error('no client');
      const job = await window.chunkwise.download({ url }, { chunkSize: chunk, concurrency: 2 });
      // Listening from the start: progress events are not replayed.
      const firstStored = new Promise<void>((resolve) => {
        if (job.initial.storedChunks >= 1) resolve();
        const stop = job.onProgress((p) => {
          if (p.storedChunks >= 1) {
            stop();
            resolve();
          }
        });
      });
      Object.assign(window, { job, firstStored });
    },
    { url, chunk: CHUNK },
  );
  // Once a chunk other than 0 was asked for, every request arriving holds after 1000 bytes
  // (knobs are fixed when a request arrives). At most two downloads run unheld; as they end, held
  // ones take their slots, and once both slots are held no other request can start. Whatever
  // the cancel finds on the wire, a held request ends only if the proxy aborts it.
  await origin.whenRequest(
    (e) => e.path === path && e.range !== null && !e.range.startsWith('bytes=0-'),
  );
  origin.setKnobs('/synthetic/', { rate: 100_000, holdAfter: 1000 });
  const armed = chunkRequests(origin.log, path).length;
  await proxyPage.evaluate(async () => {
    const { job, firstStored } = window as unknown as {
      job: { cancel(): Promise<void>; finished: Promise<{ state: string }> };
      firstStored: Promise<void>;
    };
    await firstStored; // a chunk stored, then cancel
    await job.cancel();
    const last = await job.finished;
    if (last.state !== 'cancelled') throw new Error(`state ${last.state}`);
  });
  // Nothing is released: the origin goes idle only because the proxy aborted what it held.
  await origin.whenIdle();
  const requests = chunkRequests(origin.log, path);
  expect(requests.length - armed).toBeLessThanOrEqual(2);
  for (const e of requests.slice(armed)) expect(e.aborted, `${e.range} aborted`).toBe(true);
});

test('verify_repairsDrift', async ({ proxyPage, origin }) => {
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${4 * CHUNK}?seed=61`, {
    chunkSize: CHUNK,
  });
  await digestRangesInPage(proxyPage, session.url, [null]);
  // Delete chunk 2's bytes behind the worker's back (the index still says stored).
  await deleteStoredChunk(proxyPage, session.cacheKey, 2);
  const repair = await cacheCall<{ repaired: string[] }>(proxyPage, 'verify');
  expect(repair.repaired).toEqual([session.cacheKey]);
  expect(await storedChunkIndexes(proxyPage, session.cacheKey)).toEqual([0, 1, 3]);
  const usage = await cacheCall<CacheUsage>(proxyPage, 'usage');
  expect(usage.storedBytes).toBe(3 * CHUNK);
});

test('deleteWhilePlaying_playbackGoesOn_theKeyIsCachedAgain', async ({ proxyPage, origin }) => {
  const session = await createSession(proxyPage, `${origin.url}/files/sample.webm`, {
    chunkSize: 256 * 1024,
  });
  const result = await proxyPage.evaluate(
    async ({ src, key }) => {
      const video = document.getElementById('video') as HTMLVideoElement;
      const until = (ok: () => boolean) =>
        new Promise<void>((resolve, reject) => {
          const on = () => {
            if (!ok()) return;
            video.removeEventListener('timeupdate', on);
            resolve();
          };
          video.addEventListener('timeupdate', on);
          video.addEventListener('error', () =>
            reject(new Error(`media error ${video.error?.code}`)),
          );
        });
      video.src = src;
      await video.play();
      await until(() => video.currentTime > 1);
      await window.chunkwise?.cache.delete(key);
      const seeked = new Promise((r) => video.addEventListener('seeked', r, { once: true }));
      video.currentTime = 30;
      await seeked;
      await until(() => video.currentTime > 31);
      return video.currentTime;
    },
    { src: session.url, key: session.cacheKey },
  );
  expect(result).toBeGreaterThan(31);
  // The delete removed what was stored; the reads after it cached the key afresh (a new content
  // version): the chunk the seek landed in is stored again.
  const stored = await storedChunkIndexes(proxyPage, session.cacheKey);
  expect(stored.length).toBeGreaterThan(0);
  const stats = await sessionStats(proxyPage, session.id);
  expect(stats.mode).toBe('parallel');
  expect(stats.failedChunks).toEqual([]);
});

test('storedBodyOpen_anotherMediaNeedsTheRoom_bodyBytesExact', async ({
  proxyPage,
  origin,
  store,
}) => {
  // A stored response is one Blob over the stored chunks. On OPFS it is a File that breaks once
  // its chunk file is removed, so the chunks under an open body are kept from eviction until it
  // ends; IndexedDB's Blobs in Chromium outlive their records, so there they may go at once.
  // Either way the open body's bytes stay exact.
  const chunks = 192; // 12 MiB in 64 KiB chunks; the budget holds 16 MiB
  const size = chunks * CHUNK;
  await setBudget(proxyPage, 256 * CHUNK);
  const a = `${origin.url}/synthetic/${size}?seed=58`;
  const b = `${origin.url}/synthetic/${size}?seed=59`;
  const sa = await createSession(proxyPage, a, { chunkSize: CHUNK });
  const [cold] = await digestRangesInPage(proxyPage, sa.url, [null]);
  expect(cold?.sha256).toBe(syntheticDigest(58, 0, size - 1));
  await waitForStoredChunks(proxyPage, sa.id, chunks);
  // Open A's stored body and read one piece of it; the rest waits, unread, in the page.
  const first = await openHeldBody(proxyPage, sa.url);
  expect(first.status).toBe(200);
  expect(first.bytes).toBeGreaterThan(0);
  expect(first.bytes).toBeLessThan(size);
  // B streams through: the budget cannot hold both, so something of A or B must go.
  const sb = await createSession(proxyPage, b, { chunkSize: CHUNK });
  const [other] = await digestRangesInPage(proxyPage, sb.url, [null]);
  expect(other?.sha256).toBe(syntheticDigest(59, 0, size - 1));
  const storedA = await storedChunkIndexes(proxyPage, a);
  const storedB = await storedChunkIndexes(proxyPage, b);
  expect(storedA.length + storedB.length).toBeLessThanOrEqual(256);
  if (store === 'opfs') {
    // Kept: every chunk under the open body is still there; B made its room from its own.
    expect(storedA).toHaveLength(chunks);
    expect(storedB.length).toBeLessThan(chunks);
  } else {
    // The least recently used media gave up its chunks under the open body.
    expect(storedA.length).toBeLessThan(chunks);
  }
  // The rest of A's body, read now: every byte as stored before.
  const whole = await readHeldBody(proxyPage);
  expect(whole).toEqual({ bytes: size, sha256: syntheticDigest(58, 0, size - 1) });
  // The body is over: nothing keeps A's chunks any more, a smaller budget takes them.
  const usage = await setBudget(proxyPage, 8 * CHUNK);
  expect(usage.storedBytes).toBeLessThanOrEqual(8 * CHUNK);
});
