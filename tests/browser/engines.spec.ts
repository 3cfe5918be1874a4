/**
 * One body per behaviour, run on every engine: Chromium (Playwright), Firefox ESR (puppeteer-core
 * over BiDi) and WebKitGTK (selenium-webdriver, the persistent browser). Each body is a function
 * of the engine's browser and page, the origin and the app (`Ctx`); it is registered once per
 * engine as `<engine>_<behaviour>`. An engine that is not installed is skipped with what to
 * install (chromiumMissing(), firefoxMissing(), webkitMissing()); no body is skipped otherwise.
 *
 * Every engine runs on a profile kept on disk (WebKit: `launchWebKit({dataDir})`, MiniBrowser's
 * ephemeral store refuses Blobs in IndexedDB, see webkit.spec.ts), so one browser per engine
 * serves every body and a restart keeps the worker and its storage. Engine-specific tests stay
 * in firefox.spec.ts (keep-alive) and webkit.spec.ts (ephemeral store, cancel deadlock).
 *
 * Chromium runs every body too (~30 s). They overlap the Chromium specs (stream-ranges, playback,
 * scheduling, persistence, cache-lifecycle, single-mode, bad-input) without duplicating them:
 * they also assert that no request fell back to a direct read during playback, the exact chunk
 * requests of two tabs under a hold, a peak never above the budget, offline playback after a
 * restart with the upstream answering 503, a stored body held open while another media needs the
 * room; and they prove the Chromium adapter.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkRanges,
  playUntil,
  type RangeCase,
  rangeCases,
  readStats,
  seekTo,
} from 'chunkwise/testing';
import type { CacheEntry, CacheUsage, StoreRepair } from '../../src/shared/types.ts';
import type { Origin } from '../../tools/origin/index.ts';
import { ENGINES, type EngineBrowser, type EnginePage, openDemo } from '../engines/engines.ts';
import { chunkRequests, loggedRange, syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { cancelHeldBody, openHeldBody, readHeldBody } from './support/heldBody.ts';
import { waitForStoredChunks } from './support/inPage.ts';

const CHUNK = 64 * 1024;
const MEDIA_CHUNK = 256 * 1024;
const MEDIA = fileURLToPath(new URL('../../media/', import.meta.url));
/** The bundled samples (tools/media/make-samples.sh, src/app/catalog.ts): 60 s each. */
const SAMPLES = ['sample-faststart.mp4', 'sample-moov-end.mp4', 'sample.webm'] as const;

/** What a shared body gets: one engine's browser and demo page, the origin, the app. */
interface Ctx {
  browser: EngineBrowser;
  /** A page of the demo app, controlled by the worker (`window.chunkwise` ready). */
  page: EnginePage;
  origin: Origin;
  app: { url: string };
  /**
   * Close the browser and launch it again on the same profile (a browser restart: the worker
   * and its storage stay), or on a new empty one (`fresh`: a new worker, nothing stored);
   * `browser` and `page` are the new ones.
   */
  relaunch(options?: { fresh?: boolean }): Promise<void>;
  /** Another tab of the same browser on the demo app. */
  newTab(): Promise<EnginePage>;
}

interface Body {
  name: string;
  timeout?: number;
  run(ctx: Ctx): Promise<void>;
}

function createSession(page: EnginePage, url: string, options: Record<string, unknown> = {}) {
  return page.evaluate(
    async ({ url, options }) => {
      const session = await window.chunkwise?.createSession(url, options);
      if (!session) throw new Error('window.chunkwise is missing');
      return session;
    },
    { url, options },
  );
}

function cacheUsage(page: EnginePage): Promise<CacheUsage> {
  return page.evaluate(() => window.chunkwise?.cache.usage() as Promise<CacheUsage>, null);
}

/** `GET` cases of single ranges, for a custom list (the kit judges them). */
function getRange(start: number, end: number, header = `bytes=${start}-${end}`): RangeCase {
  return {
    name: header,
    method: 'GET',
    range: header,
    expect: { kind: 'range', start, end },
    why: 'RFC 9110 §14.1.2',
  };
}

/** Play `src` in the demo's `#video`: to 1 s, then each seek and half a second past it. */
async function playAndSeek(page: EnginePage, src: string, seeks: number[]) {
  await page.evaluate((src) => {
    (document.getElementById('video') as HTMLVideoElement).src = src;
  }, src);
  expect(await playUntil(page, '#video', 1)).toBeGreaterThan(1);
  for (const to of seeks) {
    expect(await seekTo(page, '#video', to)).toBeCloseTo(to, 0);
    expect(await playUntil(page, '#video', to + 0.5)).toBeGreaterThan(to + 0.5);
  }
  return page.evaluate(() => {
    const video = document.getElementById('video') as HTMLVideoElement;
    const duration = video.duration;
    // Let go of the stream: the next body starts with no reader open.
    video.pause();
    video.removeAttribute('src');
    video.load();
    return duration;
  }, null);
}

const BODIES: Body[] = [
  {
    name: 'rangeCasesRightColdAndWarm',
    async run({ page, origin, browser }) {
      const size = 10 * CHUNK + 4321;
      const path = `/synthetic/${size}`;
      const session = await createSession(page, `${origin.url}${path}?seed=71`, {
        chunkSize: CHUNK,
      });
      const options = {
        size,
        chunkSize: CHUNK,
        sha256Of: (s: number, e: number) => syntheticDigest(71, s, e),
      };
      const cold = await checkRanges(page, session.url, options);
      expect(cold.failures, `${browser.name} ${browser.version} cold\n${cold.text}`).toEqual([]);
      const stats = await readStats(page, session.id);
      expect(stats).toMatchObject({ mode: 'parallel', validation: 'strong', storageFailures: 0 });
      expect(stats.chunks.stored).toBe(stats.chunks.total);
      // Warm: every answer from the stored chunks, nothing asked of the upstream.
      origin.clearLog();
      const warm = await checkRanges(page, session.url, options);
      expect(warm.failures, `${browser.name} ${browser.version} warm\n${warm.text}`).toEqual([]);
      expect(origin.log.filter((e) => e.path === path)).toEqual([]);
    },
  },
  ...SAMPLES.map(
    (name): Body => ({
      name: `playsAndSeeks_${name}`,
      async run({ page, origin }) {
        const path = `/files/${name}`;
        const size = readFileSync(join(MEDIA, name)).length;
        const session = await createSession(page, `${origin.url}${path}`, {
          chunkSize: MEDIA_CHUNK,
          concurrency: 3,
          prefetch: 4,
        });
        expect(await playAndSeek(page, session.url, [20, 45])).toBeGreaterThan(59);
        const stats = await readStats(page, session.id);
        expect(stats).toMatchObject({ mode: 'parallel', validation: 'strong' });
        // No request fell back to a direct read: nothing failed, so nothing had a reason to.
        expect(stats.fallbacks, stats.reason ?? '').toBe(0);
        // What the engine's media element asked for reached the upstream as chunk downloads
        // (aligned, whole) and catch-up reads (ending on a chunk's last byte, counted)...
        const requests = chunkRequests(origin.log, path);
        for (const entry of requests) {
          const { start, end } = loggedRange(entry);
          const chunkEnd = Math.min((Math.floor(start / MEDIA_CHUNK) + 1) * MEDIA_CHUNK, size) - 1;
          expect(end, `${entry.range} ends at its chunk's end`).toBe(chunkEnd);
        }
        const aligned = requests.filter((e) => loggedRange(e).start % MEDIA_CHUNK === 0);
        expect(requests.length - aligned.length).toBe(stats.catchUpReads);
        // ...each chunk downloaded once, but for prefetches a seek dropped on the wire.
        const seen = new Set<number>();
        for (const e of aligned.filter((e) => e.status === 206 && !e.aborted)) {
          const index = loggedRange(e).start / MEDIA_CHUNK;
          if (seen.has(index))
            expect(stats.droppedChunks, `chunk ${index} fetched again`).toContain(index);
          seen.add(index);
        }
      },
    }),
  ),
  {
    name: 'twoTabs_shareOneDownloadPerChunk',
    async run({ page, origin, newTab }) {
      const size = 6 * CHUNK;
      const path = `/synthetic/${size}`;
      const url = `${origin.url}${path}?seed=72`;
      const other = await newTab();
      // Every chunk response stops after 1000 bytes until released: both tabs' reads are open
      // on the worker while chunk 0 is still downloading, whatever the driver's pace.
      origin.setKnobs('/synthetic/', { holdAfter: 1000 });
      const start = (p: EnginePage) =>
        p.evaluate(
          async ({ url, chunk }) => {
            const s = await window.chunkwise?.createSession(url, { chunkSize: chunk });
            const response = await fetch(s?.url ?? '');
            const w = window as unknown as { twoTabs: Promise<string> };
            w.twoTabs = response
              .arrayBuffer()
              .then(async (body) =>
                [...new Uint8Array(await crypto.subtle.digest('SHA-256', body))]
                  .map((b) => b.toString(16).padStart(2, '0'))
                  .join(''),
              );
            return response.status;
          },
          { url, chunk: CHUNK },
        );
      expect(await start(page)).toBe(200);
      expect(await start(other)).toBe(200);
      origin.releaseHeld();
      const digest = (p: EnginePage) =>
        p.evaluate(() => (window as unknown as { twoTabs: Promise<string> }).twoTabs, null);
      const whole = syntheticDigest(72, 0, size - 1);
      expect(await digest(page)).toBe(whole);
      expect(await digest(other)).toBe(whole);
      // One worker for both tabs: each chunk requested once.
      const ranges = chunkRequests(origin.log, path).map((e) => e.range);
      expect(ranges.sort()).toEqual(
        [0, 1, 2, 3, 4, 5].map((i) => `bytes=${i * CHUNK}-${(i + 1) * CHUNK - 1}`).sort(),
      );
    },
  },
  {
    name: 'browserRestart_storedChunksServedAndPlayed_upstreamRefusing',
    timeout: 120_000,
    async run(ctx) {
      const name = 'sample-faststart.mp4';
      const path = `/files/${name}`;
      const bytes = new Uint8Array(readFileSync(join(MEDIA, name)));
      const url = `${ctx.origin.url}${path}`;
      // A session on the same media, to read the download's stats through.
      const watch = await createSession(ctx.page, url, { chunkSize: MEDIA_CHUNK });
      const done = await ctx.page.evaluate(
        async ({ url, chunk }) => {
          const job = await window.chunkwise?.download({ url }, { chunkSize: chunk });
          return job?.finished;
        },
        { url, chunk: MEDIA_CHUNK },
      );
      expect(done).toMatchObject({ state: 'done', storedBytes: bytes.length });
      // Once the local upstream was measured fast, chunks nobody read were stored natively
      // (Response.blob()): the bytes checked after the restart below include theirs.
      const { nativeChunks } = await readStats(ctx.page, watch.id);
      expect(nativeChunks).toBeGreaterThan(0);
      // The upstream refuses everything from now on; the browser restarts on the same profile.
      ctx.origin.setKnobs('/files/', { status: 503 });
      await ctx.relaunch();
      ctx.origin.clearLog();
      const session = await createSession(ctx.page, url, { chunkSize: MEDIA_CHUNK });
      const report = await checkRanges(ctx.page, session.url, {
        size: bytes.length,
        chunkSize: MEDIA_CHUNK,
        bytes,
        cases: rangeCases(bytes.length, { chunkSize: MEDIA_CHUNK }).filter(
          (c) => c.method === 'GET',
        ),
      });
      expect(report.failures, report.text).toEqual([]);
      expect(await playAndSeek(ctx.page, session.url, [40])).toBeGreaterThan(59);
      // The worker asked the upstream (the probe) and was refused: every byte came from storage.
      const asked = ctx.origin.log.filter((e) => e.path === path);
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.filter((e) => e.status !== 503)).toEqual([]);
    },
  },
  {
    name: 'smallBudget_storedBytesNeverAboveIt_bytesExact',
    async run(ctx) {
      // A new profile: a new worker with nothing stored, so its peak is this body's.
      await ctx.relaunch({ fresh: true });
      const { page, origin } = ctx;
      const budget = 8 * CHUNK;
      const before = await cacheUsage(page);
      const set = await page.evaluate(
        (b) => window.chunkwise?.cache.setBudget(b) as Promise<CacheUsage>,
        budget,
      );
      expect(set).toMatchObject({ budget, configuredBudget: budget, storedBytes: 0 });
      const size = 80 * CHUNK + 777;
      const session = await createSession(page, `${origin.url}/synthetic/${size}?seed=54`, {
        chunkSize: CHUNK,
        concurrency: 3,
        prefetch: 4,
      });
      const report = await checkRanges(page, session.url, {
        size,
        sha256Of: (s, e) => syntheticDigest(54, s, e),
        cases: [
          getRange(0, size - 1, 'bytes=0-'),
          getRange(40 * CHUNK + 5, size - 1, `bytes=${40 * CHUNK + 5}-`),
          getRange(10 * CHUNK, 20 * CHUNK),
          getRange(0, CHUNK + 9),
        ],
      });
      expect(report.failures, report.text).toEqual([]);
      // Nothing moves any more (no session, no download), so what follows is one state.
      await page.evaluate((id) => window.chunkwise?.closeSession(id), session.id);
      await origin.whenIdle();
      // The index agrees with what the store holds (a rebuild from the store repairs nothing)...
      const repair = await page.evaluate(
        () => window.chunkwise?.cache.verify() as Promise<StoreRepair>,
        null,
      );
      expect(repair).toMatchObject({ repaired: [], orphanChunks: 0 });
      // ...its byte count is the stored chunks', and never went above the budget.
      const usage = await cacheUsage(page);
      const listed = await page.evaluate(
        () => window.chunkwise?.cache.list() as Promise<CacheEntry[]>,
        null,
      );
      expect(listed.map((e) => e.storedBytes)).toEqual([usage.storedBytes]);
      expect(listed[0]?.storedChunks).toBe(repair.chunks);
      expect(usage.storedBytes).toBeGreaterThan(0);
      expect(usage.storedBytes).toBeLessThanOrEqual(budget);
      expect(usage.peakStoredBytes).toBeLessThanOrEqual(budget);
      // The budget is persisted: the bodies after this one get the default back.
      await page.evaluate((b) => window.chunkwise?.cache.setBudget(b), before.configuredBudget);
    },
  },
  {
    name: 'storedBodyOpen_anotherMediaNeedsTheRoom_bodyBytesExact',
    async run({ page, origin, browser }) {
      // A stored response is one Blob over the stored chunks, and the page reads it at its own
      // pace while another media needs the room. Where the engine's IndexedDB Blobs are not known
      // to outlive their records (every engine but Chromium), the chunks under a body still open
      // in the worker are kept from eviction until it ends. Either way the bytes stay exact.
      const chunks = 96; // 6 MiB in 64 KiB chunks; the budget holds 8 MiB
      const size = chunks * CHUNK;
      const budget = 128 * CHUNK;
      const before = await cacheUsage(page);
      await page.evaluate((b) => window.chunkwise?.cache.setBudget(b), budget);
      try {
        const a = `${origin.url}/synthetic/${size}?seed=61`;
        const b = `${origin.url}/synthetic/${size}?seed=62`;
        const wholeRead = (seed: number) => ({
          size,
          sha256Of: (s: number, e: number) => syntheticDigest(seed, s, e),
          cases: [getRange(0, size - 1, 'bytes=0-')],
        });
        const sa = await createSession(page, a, { chunkSize: CHUNK });
        const cold = await checkRanges(page, sa.url, wholeRead(61));
        expect(cold.failures, cold.text).toEqual([]);
        // Every chunk of A stored: checks the stats now, then waits for the worker's pushes.
        await waitForStoredChunks(page, sa.id, chunks);
        // Open A's stored body and read one piece of it; the rest waits, unread, in the page.
        const first = await openHeldBody(page, sa.url);
        expect(first.status).toBe(200);
        expect(first.bytes).toBeGreaterThan(0);
        expect(first.bytes).toBeLessThan(size);
        // B streams through: the budget cannot hold both, so something of A or B must go.
        const sb = await createSession(page, b, { chunkSize: CHUNK });
        const other = await checkRanges(page, sb.url, wholeRead(62));
        expect(other.failures, other.text).toEqual([]);
        const listed = await page.evaluate(
          () => window.chunkwise?.cache.list() as Promise<CacheEntry[]>,
          null,
        );
        const storedA = listed.find((e) => e.key === a)?.storedChunks ?? 0;
        const storedB = listed.find((e) => e.key === b)?.storedChunks ?? 0;
        expect(storedA + storedB).toBeLessThanOrEqual(budget / CHUNK);
        // In Chromium nothing keeps A's chunks (its IndexedDB Blobs outlive their records): the
        // least recently used media gave them up while the page had read one piece of its body.
        // In Firefox and WebKit they are kept only while the worker's side of the body is open,
        // and how long that is depends on how far ahead of the page the engine reads a worker's
        // response (measured: right after the first piece Firefox still kept all 96, WebKit none;
        // once B was stored both had let them go). So there this body proves the bytes, not the
        // keep (with the keep removed it still passed; cache-lifecycle.spec.ts proves the keep).
        if (browser.name === 'chromium') expect(storedA).toBeLessThan(chunks);
        // The rest of A's body, read now: every byte as stored before.
        const whole = await readHeldBody(page);
        expect(whole).toEqual({ bytes: size, sha256: syntheticDigest(61, 0, size - 1) });
        // The body is over: nothing keeps A's chunks any more, a smaller budget takes what is left.
        const usage = await page.evaluate(
          (b) => window.chunkwise?.cache.setBudget(b) as Promise<CacheUsage>,
          8 * CHUNK,
        );
        expect(usage.storedBytes).toBeLessThanOrEqual(8 * CHUNK);
      } finally {
        // Whatever happened: no reader left open, and the budget is persisted, so the bodies
        // after this one get the default back.
        await cancelHeldBody(page);
        await page.evaluate((b) => window.chunkwise?.cache.setBudget(b), before.configuredBudget);
      }
    },
  },
  {
    name: 'upstreamIgnoresRanges_singleMode_bytesExact_plays',
    async run({ page, origin }) {
      const size = 5 * CHUNK + 17;
      origin.setKnobs('/synthetic/', { ignoreRange: true });
      origin.setKnobs('/files/', { ignoreRange: true });
      const session = await createSession(page, `${origin.url}/synthetic/${size}?seed=73`, {
        chunkSize: CHUNK,
      });
      const report = await checkRanges(page, session.url, {
        size,
        chunkSize: CHUNK,
        cases: rangeCases(size, { chunkSize: CHUNK }).filter((c) => c.method === 'GET'),
        sha256Of: (s, e) => syntheticDigest(73, s, e),
      });
      expect(report.failures, report.text).toEqual([]);
      const stats = await readStats(page, session.id);
      expect(stats).toMatchObject({ mode: 'single', chunks: { stored: 0 } });
      expect(stats.reason).toMatch(/ignores Range/);
      const video = await createSession(page, `${origin.url}/files/sample-faststart.mp4`);
      expect(await playAndSeek(page, video.url, [30])).toBeGreaterThan(59);
      expect((await readStats(page, video.id)).mode).toBe('single');
    },
  },
  {
    name: 'badInput_namedRefusals',
    async run({ page, origin }) {
      const refusals = await page.evaluate(async (url) => {
        const attempt = (options: Record<string, unknown>) =>
          window.chunkwise?.createSession(url, options).then(
            () => null,
            (e: { code: string; details?: Record<string, unknown> }) => ({
              code: e.code,
              details: e.details,
            }),
          );
        const unknown = await fetch('./stream/no-such-session');
        return {
          chunkSize: await attempt({ chunkSize: 1 }),
          concurrency: await attempt({ concurrency: 99 }),
          rangeHeader: await attempt({ headers: { Range: 'bytes=0-' } }),
          unknownSession: { status: unknown.status, body: await unknown.json() },
        };
      }, `${origin.url}/synthetic/1000`);
      expect(refusals).toMatchObject({
        chunkSize: {
          code: 'bad-request',
          details: { field: 'chunkSize', min: 65536, max: 67108864 },
        },
        concurrency: { code: 'bad-request', details: { field: 'concurrency', min: 1, max: 16 } },
        rangeHeader: { code: 'bad-request', details: { field: 'headers', name: 'Range' } },
        unknownSession: { status: 404, body: { error: 'session-not-found' } },
      });
      // Refused before anything was asked of the upstream.
      expect(origin.log.filter((e) => e.path === '/synthetic/1000')).toEqual([]);
    },
  },
];

for (const engine of ENGINES) {
  test.describe(engine.name, () => {
    const missing = engine.missing();
    test.skip(missing !== null, missing ?? '');

    const profiles: string[] = [];
    const newProfile = () => {
      const dir = mkdtempSync(join(tmpdir(), `chunkwise-${engine.name}-`));
      profiles.push(dir);
      return dir;
    };
    let ctx: Ctx | undefined;
    let browser: EngineBrowser | undefined; // the one open now, closed after the last body
    let profile: string;

    test.beforeAll(async ({ app, origin }) => {
      profile = newProfile();
      browser = await engine.launch(profile);
      const self: Ctx = {
        browser,
        page: await openDemo(browser, app.url, origin.url),
        origin,
        app,
        async relaunch(options = {}) {
          await self.browser.close();
          browser = undefined;
          if (options.fresh) profile = newProfile();
          browser = self.browser = await engine.launch(profile);
          self.page = await openDemo(self.browser, app.url, origin.url);
        },
        newTab: () => openDemo(self.browser, app.url, origin.url),
      };
      ctx = self;
    });

    test.beforeEach(({ origin }) => {
      origin.resetKnobs();
      origin.clearLog();
    });

    test.afterAll(async () => {
      await browser?.close();
      for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
    });

    for (const body of BODIES) {
      test(`${engine.name}_${body.name}`, async () => {
        if (body.timeout) test.setTimeout(body.timeout);
        if (!ctx) throw new Error(`${engine.name} did not start`);
        await body.run(ctx);
      });
    }
  });
}
