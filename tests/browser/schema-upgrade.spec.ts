import { chunkRequests, syntheticDigest } from './support/expected.ts';
import { expect, openApp, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage } from './support/inPage.ts';

const CHUNK = 64 * 1024;

/**
 * An installation whose database an older worker left at schema version 3 (chunk records only, one
 * of them a merged value) is upgraded by the new worker in real Chromium: the upgrade lists every
 * stored value in `extents`, so the cache sees every chunk, merged ones by chunk, and serves them
 * without asking the upstream for a byte (the probe aside).
 */
test('version3Database_upgradedByTheWorker_everyChunkListedAndServedFromTheStore', async ({
  page,
  app,
  origin,
  store,
}) => {
  test.skip(store !== 'indexeddb', 'the IndexedDB schema');
  origin.resetKnobs();
  const size = 6 * CHUNK + 123;
  const path = `/synthetic/${size}`;
  const url = `${origin.url}${path}?seed=82`;

  // A document of the app's origin that no worker controls and none registers, to write the old
  // database in as the old worker left it.
  await page.goto(new URL('favicon.svg', app.url).href);
  await page.evaluate(
    async ({ url, size, chunk }) => {
      const head = await fetch(url, { method: 'HEAD', cache: 'no-store' });
      const bytes = await (await fetch(url, { cache: 'no-store' })).arrayBuffer();
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('chunkwise', 3);
        open.onupgradeneeded = () => {
          open.result.createObjectStore('media', { keyPath: 'key' });
          open.result.createObjectStore('chunks', { keyPath: ['key', 'index'] });
          open.result.createObjectStore('sessions', { keyPath: 'id' });
          open.result.createObjectStore('settings', { keyPath: 'name' });
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction(['media', 'chunks'], 'readwrite');
      tx.objectStore('media').put({
        key: url,
        url,
        size,
        contentType: head.headers.get('Content-Type'),
        etag: head.headers.get('ETag'),
        lastModified: head.headers.get('Last-Modified'),
        chunkSize: chunk,
        validation: 'strong',
        version: 1,
        lastAccess: Date.now(),
        pinned: false,
      });
      const slice = (from: number, to: number) => new Blob([bytes.slice(from, to)]);
      // Chunks 0 and 1 merged into one value (as a media read again was kept), 2..6 their own.
      tx.objectStore('chunks').put({
        key: url,
        index: 0,
        data: slice(0, 2 * chunk),
        count: 2,
        chunkSize: chunk,
      });
      for (let i = 2; i <= 6; i++)
        tx.objectStore('chunks').put({
          key: url,
          index: i,
          data: slice(i * chunk, (i + 1) * chunk),
        });
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { url, size, chunk: CHUNK },
  );

  // The app: its worker opens the database at the current version, upgrading it.
  origin.clearLog();
  await openApp(page, app.url, origin.url, 'indexeddb');
  const listed = await page.evaluate(() => window.chunkwise?.cache.list());
  expect(listed).toEqual([
    expect.objectContaining({ key: url, storedChunks: 7, storedChunkRanges: [[0, 6]] }),
  ]);
  const session = await createSession(page, url, { chunkSize: CHUNK });
  const [whole, merged] = await digestRangesInPage(page, session.url, [
    null,
    `bytes=${CHUNK - 5}-${CHUNK + 4}`,
  ]);
  expect(whole?.sha256).toBe(syntheticDigest(82, 0, size - 1));
  expect(merged?.sha256).toBe(syntheticDigest(82, CHUNK - 5, CHUNK + 4));
  expect(chunkRequests(origin.log, path)).toEqual([]);

  // The database is at the current version, with one listing key per stored value.
  const after = await page.evaluate(
    () =>
      new Promise<{ version: number; extents: number }>((resolve, reject) => {
        const open = indexedDB.open('chunkwise');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('extents').objectStore('extents').count();
          count.onsuccess = () => {
            resolve({ version: open.result.version, extents: count.result });
            open.result.close();
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
  expect(after).toEqual({ version: 4, extents: 6 });
});
