/**
 * WebKitGTK (Debian's 2.50, driven over WebDriver by selenium-webdriver through WebKitWebDriver,
 * drawing into an Xvfb) against the same built app and origin as the Chromium specs: the worker
 * takes control, every range case through `/stream/<id>` is answered right cold and warm (the
 * testing kit), and a browser restart on the same data directory serves the stored chunks with
 * the upstream gone. Skipped, saying why, where WebKitGTK (or gcc, for the persistent browser) is
 * missing.
 *
 * Two browsers (tests/engines/webkit.ts): MiniBrowser, whose `--automation` mode always runs an
 * ephemeral (private) data store, where IndexedDB refuses Blob values; and, with a `dataDir`, a
 * small browser on the same WebKitGTK that keeps its data on disk, as a user's profile does. The
 * specs that need the cache use the latter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRanges, rangeCases, readStats } from 'chunkwise/testing';
import {
  type EngineBrowser,
  type EnginePage,
  launchWebKit,
  webkitMissing,
} from '../engines/webkit.ts';
import { syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';

const missing = webkitMissing({ persistent: true });
test.skip(missing !== null, missing ?? '');
test.describe.configure({ mode: 'serial' });

let webkit: EngineBrowser;
let page: EnginePage;
let dataDir: string;

/** A new page of `browser` on the demo app, once its worker controls it and the client is ready. */
async function openDemo(browser: EngineBrowser, appUrl: string, originUrl: string) {
  const p = await browser.newPage();
  await p.goto(`${appUrl}?origin=${encodeURIComponent(originUrl)}&store=indexeddb`);
  await p.waitFor(
    'window.chunkwise !== undefined || (window.chunkwiseDemo && window.chunkwiseDemo.error)',
  );
  const error = await p.evaluate(() => window.chunkwiseDemo.error, null);
  if (error) throw new Error(`app failed to start in WebKit: ${error}`);
  return p;
}

test.beforeAll(async ({ app, origin }) => {
  dataDir = mkdtempSync(join(tmpdir(), 'chunkwise-webkit-'));
  webkit = await launchWebKit({ dataDir });
  page = await openDemo(webkit, app.url, origin.url);
});

test.beforeEach(({ origin }) => {
  origin.resetKnobs();
  origin.clearLog();
});

test.afterAll(async () => {
  await webkit?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('webkit_workerControls_rangeCasesRightColdAndWarm', async ({ origin }) => {
  const chunk = 64 * 1024;
  const size = 10 * chunk + 4321;
  const session = await page.evaluate(
    ({ url, chunk }) => window.chunkwise?.createSession(url, { chunkSize: chunk }),
    { url: `${origin.url}/synthetic/${size}?seed=81`, chunk },
  );
  if (!session) throw new Error('no session');
  const options = {
    size,
    chunkSize: chunk,
    sha256Of: (s: number, e: number) => syntheticDigest(81, s, e),
  };
  for (const pass of ['cold', 'warm']) {
    const report = await checkRanges(page, session.url, options);
    expect(report.failures, `WebKitGTK ${webkit.version} ${pass}\n${report.text}`).toEqual([]);
  }
  const stats = await readStats(page, session.id);
  expect(stats.mode).toBe('parallel');
  expect(stats.chunks.stored).toBe(stats.chunks.total);
  expect(stats.storageFailures).toBe(0);
});

test('webkit_browserRestart_storedChunksServedOffline', async ({ app, origin }) => {
  const profile = mkdtempSync(join(tmpdir(), 'chunkwise-webkit-'));
  const size = 5 * 64 * 1024;
  const url = `${origin.url}/synthetic/${size}?seed=82`;
  const open = async () => {
    const browser = await launchWebKit({ dataDir: profile });
    return { browser, p: await openDemo(browser, app.url, origin.url) };
  };
  try {
    const first = await open();
    try {
      await first.p.evaluate(async (url) => {
        const job = await window.chunkwise?.download({ url }, { chunkSize: 64 * 1024 });
        await job?.finished;
      }, url);
    } finally {
      await first.browser.close();
    }
    origin.setKnobs('/synthetic/', { noCors: true }); // the upstream unreachable from now on
    const second = await open();
    try {
      const session = await second.p.evaluate((url) => window.chunkwise?.createSession(url), url);
      if (!session) throw new Error('no session');
      const report = await checkRanges(second.p, session.url, {
        size,
        chunkSize: 64 * 1024,
        cases: rangeCases(size, { chunkSize: 64 * 1024 }).filter((c) => c.method === 'GET'),
        sha256Of: (s, e) => syntheticDigest(82, s, e),
      });
      expect(report.failures, report.text).toEqual([]);
    } finally {
      await second.browser.close();
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test('webkit_ephemeralSession_blobsRefused_chunksStoredAsArrayBuffers_rangesRight', async ({
  app,
  origin,
}) => {
  // MiniBrowser --automation: an ephemeral data store, where IndexedDB refuses Blob values
  // (UnknownError "Error preparing Blob/File data to be stored in object store"; ArrayBuffers
  // are kept), as Safari's Private Browsing does. The store falls back to ArrayBuffer values and
  // says so (`usage().storedAs`): every chunk is stored, nothing fails.
  const browser = await launchWebKit();
  try {
    const p = await openDemo(browser, app.url, origin.url);
    const refusal = await p.evaluate(async () => {
      const db: IDBDatabase = await new Promise((resolve, reject) => {
        const open = indexedDB.open('webkit-blob-probe', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('s');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const put = (value: unknown) =>
        new Promise<string>((resolve) => {
          const tx = db.transaction('s', 'readwrite');
          tx.objectStore('s').put(value, 'k');
          tx.oncomplete = () => resolve('stored');
          tx.onabort = () => resolve(`${tx.error?.name}: ${tx.error?.message}`);
        });
      const results = {
        blob: await put(new Blob(['x'])),
        arrayBuffer: await put(new ArrayBuffer(8)),
      };
      db.close();
      return results;
    }, null);
    expect(refusal).toEqual({
      blob: 'UnknownError: Error preparing Blob/File data to be stored in object store',
      arrayBuffer: 'stored',
    });
    const chunk = 64 * 1024;
    const size = 4 * chunk + 99;
    const session = await p.evaluate(
      ({ url, chunk }) => window.chunkwise?.createSession(url, { chunkSize: chunk }),
      { url: `${origin.url}/synthetic/${size}?seed=83`, chunk },
    );
    if (!session) throw new Error('no session');
    const report = await checkRanges(p, session.url, {
      size,
      chunkSize: chunk,
      cases: rangeCases(size, { chunkSize: chunk }).filter((c) => c.method === 'GET'),
      sha256Of: (s, e) => syntheticDigest(83, s, e),
    });
    expect(report.failures, report.text).toEqual([]);
    const stats = await readStats(p, session.id);
    expect(stats.chunks.stored).toBe(stats.chunks.total);
    expect(stats.storageFailures).toBe(0);
    const usage = await p.evaluate(() => window.chunkwise?.cache.usage(), null);
    expect(usage).toMatchObject({ store: 'indexeddb', storedAs: 'arraybuffer' });
    // Served from the stored ArrayBuffers once the upstream is gone.
    origin.setKnobs('/synthetic/', { status: 503 });
    const again = await checkRanges(p, session.url, {
      size,
      chunkSize: chunk,
      cases: rangeCases(size, { chunkSize: chunk }).filter((c) => c.method === 'GET'),
      sha256Of: (s, e) => syntheticDigest(83, s, e),
    });
    expect(again.failures, again.text).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('webkit_bodyCancelledWhileItsChunkDownloads_workerStillAnswers', async ({ app, origin }) => {
  // WebKitGTK 2.50 runs a stream response's cancel() while it holds the fetch's connection lock;
  // an event listener run from there (the chunked body's `abort`) drains the microtasks, the
  // body's pipe reports its end under that same lock, and the worker thread deadlocks: no fetch,
  // message or timer of the worker runs again (a video cancelling its first request stalls at
  // readyState 0). createChunkedBody's cancel() therefore does its work in a task of its own.
  const browser = await launchWebKit(); // its own browser: a deadlocked worker stays so
  try {
    const p = await openDemo(browser, app.url, origin.url);
    const answers = await p.evaluate(
      async ({ url }) => {
        const client = window.chunkwise;
        const session = await client?.createSession(url, { chunkSize: 256 * 1024 });
        const reader = (await fetch(session?.url ?? '')).body?.getReader();
        for (let got = 0; got < 200_000; ) {
          const piece = await reader?.read();
          if (!piece || piece.done) break;
          got += piece.value.byteLength;
        }
        await reader?.cancel(); // chunk downloads still running (1 MB/s per connection)
        const within = (work: Promise<unknown>) =>
          Promise.race([
            work.then(() => 'answered'),
            new Promise((resolve) => setTimeout(() => resolve('no answer in 30 s'), 30_000)),
          ]);
        return {
          ping: await within(client?.ping() ?? Promise.resolve()),
          passThrough: await within(fetch(`./favicon.svg?${Math.random()}`)),
        };
      },
      { url: `${origin.url}/synthetic/${8 * 1024 * 1024}?seed=84&rate=1000000` },
    );
    expect(answers).toEqual({ ping: 'answered', passThrough: 'answered' });
  } finally {
    await browser.close();
  }
});
