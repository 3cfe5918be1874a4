import type { Page } from '@playwright/test';
import type { SessionInfo, SessionOptions, SessionStats } from '../../../src/shared/types.ts';
import type { PageLike } from '../../../src/testing/PageLike.ts';

/** What a fetch made from inside the page saw (requests Playwright makes itself skip the worker). */
export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** `fetch(url, init)` run in the page, so it goes through the service worker. */
export async function fetchInPage(
  page: Page,
  url: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<PageResponse> {
  const r = await page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, init);
      const bytes = new Uint8Array(await response.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: btoa(binary),
      };
    },
    { url, init },
  );
  return { status: r.status, headers: r.headers, body: Buffer.from(r.body, 'base64') };
}

export function createSession(
  page: Page,
  url: string,
  options: SessionOptions = {},
): Promise<SessionInfo> {
  return page.evaluate(
    ({ url, options }) => {
      if (!window.chunkwise) throw new Error('window.chunkwise is missing');
      return window.chunkwise.createSession(url, options);
    },
    {
      url,
      options,
    },
  );
}

export function sessionStats(page: Page, id: string): Promise<SessionStats> {
  return page.evaluate((id) => {
    if (!window.chunkwise) throw new Error('window.chunkwise is missing');
    return window.chunkwise.stats(id);
  }, id);
}

export interface RangeDigest {
  range: string | null;
  status: number;
  contentRange: string | null;
  length: number;
  sha256: string;
}

/**
 * Fetch each range of `url` from inside the page, one after another, and return status,
 * Content-Range, body length and SHA-256 for each (hashing in the page keeps large bodies out
 * of the Playwright channel).
 */
export function digestRangesInPage(
  page: Page,
  url: string,
  ranges: (string | null)[],
): Promise<RangeDigest[]> {
  return page.evaluate(
    async ({ url, ranges }) => {
      const hex = (buf: ArrayBuffer) =>
        [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
      const out = [];
      for (const range of ranges) {
        const response = await fetch(url, { headers: range === null ? {} : { Range: range } });
        const body = await response.arrayBuffer();
        out.push({
          range,
          status: response.status,
          contentRange: response.headers.get('Content-Range'),
          length: body.byteLength,
          sha256: hex(await crypto.subtle.digest('SHA-256', body)),
        });
      }
      return out;
    },
    { url, ranges },
  );
}

/** Indexes of the chunks the worker's cache holds for `cacheKey` (from `cache.list()`). */
export async function storedChunkIndexes(page: Page, cacheKey: string): Promise<number[]> {
  const list = await page.evaluate(() => window.chunkwise?.cache.list());
  const entry = list?.find((e) => e.key === cacheKey);
  return (entry?.storedChunkRanges ?? []).flatMap(([first, last]) =>
    Array.from({ length: last - first + 1 }, (_, k) => first + k),
  );
}

/**
 * Resolve once the session's stats say at least `chunks` chunks are stored: checks the stats
 * now, then waits for the worker's pushes (no polling). Any driver's page (`PageLike`).
 */
export function waitForStoredChunks(page: PageLike, id: string, chunks: number): Promise<void> {
  return page.evaluate(
    ({ id, chunks }) =>
      new Promise<void>((resolve, reject) => {
        const client = window.chunkwise;
        if (!client) {
          reject(new Error('window.chunkwise is missing'));
          return;
        }
        const stop = client.onStats((s) => {
          if (s.id === id && s.chunks.stored >= chunks) {
            stop();
            resolve();
          }
        });
        client.stats(id).then((s) => {
          if (s.chunks.stored >= chunks) {
            stop();
            resolve();
          }
        }, reject);
      }),
    { id, chunks },
  );
}

/**
 * Delete chunk `index` of `cacheKey` behind the worker's back, from the page (same origin, same
 * storage): from IndexedDB's `chunks` store with its `extents` entry, or the chunk's file in OPFS (`chunkwise-opfs/<media
 * dir>/v<version>/<index>`, the media found by its `meta.json`). The worker's index still says
 * stored: what `cache.verify()` must repair.
 */
export async function deleteStoredChunk(
  page: Page,
  cacheKey: string,
  index: number,
): Promise<void> {
  await page.evaluate(
    async ({ key, index }) => {
      const usage = await window.chunkwise?.cache.usage();
      if (usage?.store === 'opfs') {
        const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(
          'chunkwise-opfs',
        );
        for await (const [, dir] of root as unknown as AsyncIterable<[string, FileSystemHandle]>) {
          if (dir.kind !== 'directory') continue;
          const media = dir as FileSystemDirectoryHandle;
          const meta = await media
            .getFileHandle('meta.json')
            .then((h) => h.getFile())
            .then((f) => f.text())
            .catch(() => null);
          if (meta === null || JSON.parse(meta).key !== key) continue;
          const version = await media.getDirectoryHandle(`v${JSON.parse(meta).version}`);
          await version.removeEntry(String(index));
          return;
        }
        throw new Error(`no OPFS media ${key}`);
      }
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('chunkwise');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          // The record and its listing entry (`extents`, keyed [key, index, …]), as the store
          // removes a chunk.
          const tx = open.result.transaction(['chunks', 'extents'], 'readwrite');
          tx.objectStore('chunks').delete([key, index]);
          tx.objectStore('extents').delete(IDBKeyRange.bound([key, index], [key, index, Infinity]));
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      });
    },
    { key: cacheKey, index },
  );
}
