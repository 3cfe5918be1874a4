/**
 * WebKitGTK only (Debian's 2.50, driven over WebDriver by selenium-webdriver through
 * WebKitWebDriver, drawing into an Xvfb): what no other engine does. The behaviours every engine
 * shares (ranges cold and warm, playback and seeks, two tabs, restart and offline, eviction,
 * single mode, bad input) run on WebKit's persistent browser in engines.spec.ts. Skipped, saying
 * why, where WebKitGTK is missing.
 *
 * Both tests here use MiniBrowser (`launchWebKit()`), whose `--automation` mode always runs an
 * ephemeral (private) data store, where IndexedDB refuses Blob values; each has its own browser.
 */
import { checkRanges, rangeCases, readStats } from 'chunkwise/testing';
import { openDemo } from '../engines/engines.ts';
import { launchWebKit, webkitMissing } from '../engines/webkit.ts';
import { syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';

const missing = webkitMissing();
test.skip(missing !== null, missing ?? '');

test.beforeEach(({ origin }) => {
  origin.resetKnobs();
  origin.clearLog();
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
    const getCases = {
      size,
      chunkSize: chunk,
      cases: rangeCases(size, { chunkSize: chunk }).filter((c) => c.method === 'GET'),
      sha256Of: (s: number, e: number) => syntheticDigest(83, s, e),
    };
    const report = await checkRanges(p, session.url, getCases);
    expect(report.failures, report.text).toEqual([]);
    const stats = await readStats(p, session.id);
    expect(stats.chunks.stored).toBe(stats.chunks.total);
    expect(stats.storageFailures).toBe(0);
    const usage = await p.evaluate(() => window.chunkwise?.cache.usage(), null);
    expect(usage).toMatchObject({ store: 'indexeddb', storedAs: 'arraybuffer' });
    // Served from the stored ArrayBuffers once the upstream is gone.
    origin.setKnobs('/synthetic/', { status: 503 });
    const again = await checkRanges(p, session.url, getCases);
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
