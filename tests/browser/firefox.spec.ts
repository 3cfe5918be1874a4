/**
 * Firefox (Debian's ESR, driven over WebDriver BiDi by puppeteer-core) against the same built
 * app and origin as the Chromium specs: the worker takes control, every range case through
 * `/stream/<id>` is answered right cold and warm (the testing kit), and H.264 plays and seeks.
 * Skipped, saying why, where Firefox is not installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRanges, playUntil, rangeCases, readStats, seekTo } from 'chunkwise/testing';
import {
  type EngineBrowser,
  type EnginePage,
  firefoxMissing,
  launchFirefox,
} from '../engines/firefox.ts';
import { syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';

const missing = firefoxMissing();
test.skip(missing !== null, missing ?? '');
test.describe.configure({ mode: 'serial' });

let firefox: EngineBrowser;
let page: EnginePage;

/** A new page of `browser` on the demo app, once its worker controls it and the client is ready. */
async function openDemo(browser: EngineBrowser, appUrl: string, originUrl: string) {
  const p = await browser.newPage();
  await p.goto(`${appUrl}?origin=${encodeURIComponent(originUrl)}&store=indexeddb`);
  await p.waitFor(
    'window.chunkwise !== undefined || (window.chunkwiseDemo && window.chunkwiseDemo.error)',
  );
  const error = await p.evaluate(() => window.chunkwiseDemo.error, null);
  if (error) throw new Error(`app failed to start in Firefox: ${error}`);
  return p;
}

test.beforeAll(async ({ app, origin }) => {
  firefox = await launchFirefox();
  page = await openDemo(firefox, app.url, origin.url);
});

test.beforeEach(({ origin }) => {
  origin.resetKnobs();
  origin.clearLog();
});

test.afterAll(async () => {
  await firefox?.close();
});

test('firefox_workerControls_rangeCasesRightColdAndWarm', async ({ origin }) => {
  const chunk = 64 * 1024;
  const size = 10 * chunk + 4321;
  const session = await page.evaluate(
    ({ url, chunk }) => window.chunkwise?.createSession(url, { chunkSize: chunk }),
    { url: `${origin.url}/synthetic/${size}?seed=71`, chunk },
  );
  if (!session) throw new Error('no session');
  const options = {
    size,
    chunkSize: chunk,
    sha256Of: (s: number, e: number) => syntheticDigest(71, s, e),
  };
  for (const pass of ['cold', 'warm']) {
    const report = await checkRanges(page, session.url, options);
    expect(report.failures, `${firefox.version} ${pass}\n${report.text}`).toEqual([]);
  }
  const stats = await readStats(page, session.id);
  expect(stats.mode).toBe('parallel');
  expect(stats.chunks.stored).toBe(stats.chunks.total);
});

test('firefox_h264PlaysAndSeeks_throughTheProxy', async ({ origin }) => {
  const session = await page.evaluate(
    (url) => window.chunkwise?.createSession(url, { chunkSize: 256 * 1024 }),
    `${origin.url}/files/sample-moov-end.mp4`,
  );
  if (!session) throw new Error('no session');
  await page.evaluate((src) => {
    (document.getElementById('video') as HTMLVideoElement).src = src;
  }, session.url);
  expect(await playUntil(page, '#video', 1)).toBeGreaterThan(1);
  expect(await seekTo(page, '#video', 20)).toBeCloseTo(20, 0);
  expect(await playUntil(page, '#video', 20.5)).toBeGreaterThan(20.5);
  expect((await readStats(page, session.id)).mode).toBe('parallel');
});

test('firefox_twoTabs_shareOneDownloadPerChunk', async ({ app, origin }) => {
  const chunk = 64 * 1024;
  const size = 6 * chunk;
  const path = `/synthetic/${size}`;
  const other = await openDemo(firefox, app.url, origin.url);
  const url = `${origin.url}${path}?seed=72`;
  const read = (p: EnginePage) =>
    p.evaluate(
      async ({ url, chunk }) => {
        const s = await window.chunkwise?.createSession(url, { chunkSize: chunk });
        const body = await (await fetch(s?.url ?? '')).arrayBuffer();
        return body.byteLength;
      },
      { url, chunk },
    );
  expect(await Promise.all([read(page), read(other)])).toEqual([size, size]);
  const chunks = origin.log.filter(
    (e) => e.path === path && e.method === 'GET' && e.range !== 'bytes=0-0',
  );
  // One worker for both tabs: each chunk fetched once.
  expect(new Set(chunks.map((e) => e.range)).size).toBe(chunks.length);
});

test('firefox_badInput_namedRefusal_andSingleModeFallback', async ({ origin }) => {
  const refusal = await page.evaluate(
    (url) =>
      window.chunkwise?.createSession(url, { chunkSize: 1 }).then(
        () => null,
        (e: { code: string; details?: Record<string, unknown> }) => ({
          code: e.code,
          details: e.details,
        }),
      ),
    `${origin.url}/synthetic/1000`,
  );
  expect(refusal).toEqual({
    code: 'bad-request',
    details: { field: 'chunkSize', min: 65536, max: 67108864 },
  });
  // An upstream that ignores Range: single mode, exact bytes all the same.
  const size = 300_000;
  const session = await page.evaluate(
    (url) => window.chunkwise?.createSession(url),
    `${origin.url}/synthetic/${size}?seed=73&ignoreRange=1`,
  );
  if (!session) throw new Error('no session');
  const report = await checkRanges(page, session.url, {
    size,
    cases: rangeCases(size).filter((c) => c.method === 'GET' && c.expect.kind === 'range'),
    sha256Of: (s, e) => syntheticDigest(73, s, e),
  });
  expect(report.failures, report.text).toEqual([]);
  expect((await readStats(page, session.id)).mode).toBe('single');
});

test('firefox_browserRestart_storedChunksServedOffline', async ({ app, origin }) => {
  const profile = mkdtempSync(join(tmpdir(), 'chunkwise-firefox-'));
  const size = 5 * 64 * 1024;
  const url = `${origin.url}/synthetic/${size}?seed=74`;
  const open = async () => {
    const browser = await launchFirefox({ profile });
    return { browser, p: await openDemo(browser, app.url, origin.url) };
  };
  try {
    const first = await open();
    await first.p.evaluate(async (url) => {
      const job = await window.chunkwise?.download({ url }, { chunkSize: 64 * 1024 });
      await job?.finished;
    }, url);
    await first.browser.close();
    origin.setKnobs('/synthetic/', { noCors: true }); // the upstream unreachable from now on
    const second = await open();
    try {
      const session = await second.p.evaluate((url) => window.chunkwise?.createSession(url), url);
      if (!session) throw new Error('no session');
      const report = await checkRanges(second.p, session.url, {
        size,
        chunkSize: 64 * 1024,
        cases: rangeCases(size, { chunkSize: 64 * 1024 }).filter((c) => c.method === 'GET'),
        sha256Of: (s, e) => syntheticDigest(74, s, e),
      });
      expect(report.failures, report.text).toEqual([]);
    } finally {
      await second.browser.close();
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test('firefox_streamLongerThanAMinute_withTheClientsKeepAlive_neverCut', async ({ origin }) => {
  // Firefox stops a worker with no event for ~30 s and a stream it was serving just ends, short
  // and without an error (measured: after 30.1 s, 5.9 of 20 MiB). The client's pings (every
  // 20 s while a media plays; `ping()` here) keep it alive: this 13 MiB body, paced to ~65 s,
  // must arrive whole.
  test.setTimeout(180_000);
  const size = 13 * 1024 * 1024;
  const read = await page.evaluate(
    async ({ url }) => {
      const client = window.chunkwise;
      const s = await client?.createSession(url, {
        chunkSize: 256 * 1024,
        concurrency: 2,
        prefetch: 2,
      });
      const pings = setInterval(() => void client?.ping(), 20_000);
      let total = 0;
      try {
        const reader = (await fetch(s?.url ?? '')).body?.getReader();
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) break;
          total += chunk.value.length;
        }
      } finally {
        clearInterval(pings);
      }
      return total;
    },
    { url: `${origin.url}/synthetic/${size}?seed=75&rate=100000` },
  );
  expect(read).toBe(size);
});
