import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from '@playwright/test';
import { startOrigin } from '../../tools/origin/index.ts';
import { chunkRequests, syntheticDigest } from './support/expected.ts';
import { CHROMIUM_ARGS, findChromium } from './support/findChromium.ts';
import { expect, openApp, test } from './support/fixtures.ts';
import {
  createSession,
  digestRangesInPage,
  fetchInPage,
  storedChunkIndexes,
} from './support/inPage.ts';
import { playAndSeek } from './support/media.ts';
import { stopWorkers } from './support/stopWorkers.ts';

const CHUNK = 256 * 1024;
const SAMPLE = 'sample-faststart.mp4';

test('browserRestart_storedChunksReused_thenPlaysOffline', async ({ app, store }) => {
  test.setTimeout(120_000);
  // An origin of our own, so this test can take the upstream away.
  const origin = await startOrigin({ port: 0 });
  const profile = await mkdtemp(join(tmpdir(), 'chunkwise-profile-'));
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: findChromium(),
      args: CHROMIUM_ARGS,
    });
  const url = `${origin.url}/files/${SAMPLE}`;
  const bytes = await readFile(new URL(`../../media/${SAMPLE}`, import.meta.url));
  const whole = createHash('sha256').update(bytes).digest('hex');
  let context: BrowserContext | null = null;
  try {
    context = await launch();
    let page = context.pages()[0] ?? (await context.newPage());
    await openApp(page, app.url, origin.url, store);
    const done = await page.evaluate(
      async ({ url, chunk }) => {
        const job = await window.chunkwise?.download({ url }, { chunkSize: chunk });
        return job?.finished;
      },
      { url, chunk: CHUNK },
    );
    expect(done?.state).toBe('done');
    expect(done?.storedBytes).toBe(bytes.length);
    await context.close();

    // A new browser on the same profile: a new session on the same URL reuses every chunk.
    origin.clearLog();
    context = await launch();
    page = context.pages()[0] ?? (await context.newPage());
    await openApp(page, app.url, origin.url, store);
    const session = await createSession(page, url, { chunkSize: CHUNK });
    const [again] = await digestRangesInPage(page, session.url, [null, 'bytes=1000000-']);
    expect(again?.sha256).toBe(whole);
    expect(chunkRequests(origin.log, `/files/${SAMPLE}`)).toEqual([]);

    // Offline: the upstream is gone and the worker restarts with nothing in memory.
    await origin.close();
    await context.setOffline(true);
    await stopWorkers(page);
    const played = await playAndSeek(page, session.url, 2, [30, 55]);
    expect(played.seekedAt[1]).toBeCloseTo(55, 0);
    const [offline] = await digestRangesInPage(page, session.url, ['bytes=100-200000']);
    expect(offline?.status).toBe(206);
    expect(offline?.sha256).toBe(
      createHash('sha256').update(bytes.subarray(100, 200001)).digest('hex'),
    );
  } finally {
    await context?.close();
    await origin.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  }
});

test('offline_missingChunk_504WithReason_storedRangesServed', async ({ page, app, store }) => {
  const origin = await startOrigin({ port: 0 });
  try {
    await openApp(page, app.url, origin.url, store);
    const size = 8 * CHUNK;
    const session = await createSession(page, `${origin.url}/synthetic/${size}?seed=63`, {
      chunkSize: CHUNK,
      prefetch: 0,
    });
    await digestRangesInPage(page, session.url, [`bytes=0-${2 * CHUNK - 1}`]);
    expect(await storedChunkIndexes(page, session.cacheKey)).toEqual([0, 1]);
    await origin.close();
    await stopWorkers(page);

    const stored = await digestRangesInPage(page, session.url, [`bytes=10-${2 * CHUNK - 1}`]);
    expect(stored[0]?.status).toBe(206);
    expect(stored[0]?.sha256).toBe(syntheticDigest(63, 10, 2 * CHUNK - 1));
    const missing = await fetchInPage(page, session.url, {
      headers: { Range: `bytes=${5 * CHUNK}-` },
    });
    expect(missing.status).toBe(504);
    const reason = JSON.parse(missing.body.toString('utf8'));
    expect(reason.error).toBe('offline-missing');
    expect(reason.missing).toEqual({ start: 5 * CHUNK, end: size - 1 });
  } finally {
    await origin.close().catch(() => undefined);
  }
});

test('upstreamChangedBetweenRuns_oldChunksDropped_newBytesExact', async ({ proxyPage, origin }) => {
  const size = 4 * 64 * 1024;
  const path = `/synthetic/${size}`;
  // Run 1 takes requests 1..5 (probe + 4 chunks); from the 6th on the origin serves seed 65.
  origin.setKnobs('/synthetic/', { changeAfter: 5 });
  const s1 = await createSession(proxyPage, `${origin.url}${path}?seed=64`, {
    chunkSize: 64 * 1024,
    concurrency: 1,
  });
  const [run1] = await digestRangesInPage(proxyPage, s1.url, [null]);
  expect(run1?.sha256).toBe(syntheticDigest(64, 0, size - 1));
  expect(await storedChunkIndexes(proxyPage, s1.cacheKey)).toEqual([0, 1, 2, 3]);

  await stopWorkers(proxyPage); // "between runs": the next worker probes the upstream again
  const s2 = await createSession(proxyPage, `${origin.url}${path}?seed=64`, {
    chunkSize: 64 * 1024,
    prefetch: 0,
  });
  const [run2] = await digestRangesInPage(proxyPage, s2.url, [`bytes=0-${64 * 1024 - 1}`]);
  expect(run2?.sha256).toBe(syntheticDigest(65, 0, 64 * 1024 - 1));
  // The probe saw the new ETag: the old chunks were dropped before anything was served.
  expect(await storedChunkIndexes(proxyPage, s2.cacheKey)).toEqual([0]);
  expect(chunkRequests(origin.log, path).length).toBe(5);
});
