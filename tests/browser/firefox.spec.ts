/**
 * Firefox (Debian's ESR, driven over WebDriver BiDi by puppeteer-core) against the same built
 * app and origin as the Chromium specs: the worker takes control, every range case through
 * `/stream/<id>` is answered right cold and warm (the testing kit), and H.264 plays and seeks.
 * Skipped, saying why, where Firefox is not installed.
 */
import { checkRanges, playUntil, readStats, seekTo } from 'chunkwise/testing';
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

test.beforeAll(async ({ app, origin }) => {
  firefox = await launchFirefox();
  page = await firefox.newPage();
  await page.goto(`${app.url}?origin=${encodeURIComponent(origin.url)}&store=indexeddb`);
  await page.waitFor(
    'window.chunkwise !== undefined || (window.chunkwiseDemo && window.chunkwiseDemo.error)',
  );
  const error = await page.evaluate(() => window.chunkwiseDemo.error, null);
  if (error) throw new Error(`app failed to start in Firefox: ${error}`);
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
