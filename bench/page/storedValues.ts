import type { Page } from '@playwright/test';

/**
 * How many values the worker's IndexedDB holds for media `key` (read from the page, which shares
 * the worker's origin): one per chunk, fewer once chunks were merged (`chunkGroups.ts`).
 */
export function storedValues(page: Page, key: string): Promise<number> {
  return page.evaluate(
    (key) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('chunkwise');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db
            .transaction('chunks')
            .objectStore('chunks')
            .count(IDBKeyRange.bound([key, 0], [key, Number.MAX_SAFE_INTEGER]));
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
    key,
  );
}

/**
 * Wait until media `key` is kept in at most `values` stored values (its merges done after a
 * read from the store), or until the count has not changed for `quietMs` (a build that does not
 * merge); resolves with the count. A harness precondition (the scenario measures a settled
 * store), not a measurement.
 */
export async function untilMerged(
  page: Page,
  key: string,
  values: number,
  quietMs = 5_000,
): Promise<number> {
  let seen = await storedValues(page, key);
  let changedAt = Date.now();
  while (seen > values && Date.now() - changedAt < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await storedValues(page, key);
    if (now !== seen) changedAt = Date.now();
    seen = now;
  }
  return seen;
}
