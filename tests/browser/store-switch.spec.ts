import { syntheticDigest } from './support/expected.ts';
import { expect, openApp, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage } from './support/inPage.ts';

const CHUNK = 64 * 1024;

/**
 * Switching an installation's chunk backend moves what the old one holds into the new one
 * (`migrateMedia`): nothing is lost, nothing is stranded, and the moved chunks are served
 * offline byte-exact by the new backend.
 */
test('switchIndexedDbToOpfs_storedMediaMigrated_servedOffline_oldBackendEmptied', async ({
  page,
  app,
  origin,
}) => {
  test.skip(test.info().project.name !== 'indexeddb', 'one run covers the switch');
  origin.resetKnobs();
  await openApp(page, app.url, origin.url, 'indexeddb');
  const size = 6 * CHUNK + 123;
  const url = `${origin.url}/synthetic/${size}?seed=81`;
  const first = await createSession(page, url, { chunkSize: CHUNK });
  const [cold] = await digestRangesInPage(page, first.url, [null]);
  expect(cold?.sha256).toBe(syntheticDigest(81, 0, size - 1));

  // Same origin, same profile, the other backend: a new worker script takes over and migrates.
  await openApp(page, app.url, origin.url, 'opfs');
  await expect
    .poll(async () => (await page.evaluate(() => window.chunkwise?.cache.list()))?.[0])
    .toMatchObject({ key: url, storedChunks: 7, storedChunkRanges: [[0, 6]] });

  // Offline: only the new backend can answer, and it answers every byte.
  await page.context().setOffline(true);
  const again = await createSession(page, url, { chunkSize: CHUNK });
  const [warm] = await digestRangesInPage(page, again.url, [null]);
  expect(warm?.status).toBe(200);
  expect(warm?.sha256).toBe(syntheticDigest(81, 0, size - 1));
  await page.context().setOffline(false);

  // The IndexedDB backend holds nothing any more.
  const left = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('chunkwise');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('chunks').objectStore('chunks').count();
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result);
          };
        };
      }),
  );
  expect(left).toBe(0);
});
