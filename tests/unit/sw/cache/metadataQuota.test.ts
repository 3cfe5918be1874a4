/**
 * A `QuotaExceededError` on a metadata write (a media record, a session record) gets the same
 * evict-and-retry as a chunk write.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaCache } from '../../../../src/sw/cache/MediaCache.ts';
import type { ChunkStore, MediaMeta } from '../../../../src/sw/store/ChunkStore.ts';
import { IdbChunkStore } from '../../../../src/sw/store/IdbChunkStore.ts';
import { openChunkwiseDb } from '../../../../src/sw/store/openChunkwiseDb.ts';
import { CHUNK, ProxyHarness, SIZE } from '../support/proxyHarness.ts';

const quota = () => new DOMException('no room', 'QuotaExceededError');
let n = 0;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** `inner`, whose next `refusals` putMedia calls throw QuotaExceededError. */
function refusingPutMedia(inner: ChunkStore, refusals: number): ChunkStore {
  return new Proxy(inner, {
    get(target, name, receiver) {
      if (name !== 'putMedia') return Reflect.get(target, name, receiver);
      return async (meta: MediaMeta) => {
        if (refusals-- > 0) throw quota();
        return target.putMedia(meta);
      };
    },
  });
}

const describeAs = (key: string) => ({
  key,
  url: `https://u.test/${key}`,
  size: 300,
  contentType: null,
  etag: '"e"',
  lastModified: null,
  chunkSize: 100,
  validation: 'strong' as const,
});

describe('metadata writes and the quota', () => {
  it('mediaRecordRefusedOnce_chunksEvicted_budgetLowered_describeSucceeds', async () => {
    const idb = new IdbChunkStore(await openChunkwiseDb(`metaquota-${process.pid}-${++n}`));
    cleanups.push(() => idb.close());
    const cache = await MediaCache.open(refusingPutMedia(idb, 0), 10_000);
    const { meta } = await cache.describeMedia(describeAs('old'));
    for (const i of [0, 1, 2]) {
      expect(await cache.writeChunk('old', meta.version, i, new Blob([new Uint8Array(100)]))).toBe(
        'stored',
      );
    }
    const refusing = refusingPutMedia(idb, 1);
    const again = await MediaCache.open(refusing, 10_000);
    await again.describeMedia(describeAs('new'));
    expect(again.getMedia('new')).toBeDefined();
    const usage = await again.usage();
    expect(usage.quotaErrors).toBe(1);
    expect(usage.budget).toBeLessThan(10_000);
    expect(usage.storedBytes).toBeLessThan(300);
  });

  it('mediaRecordRefusedTwice_rejectsWithTheQuotaError', async () => {
    const idb = new IdbChunkStore(await openChunkwiseDb(`metaquota-${process.pid}-${++n}`));
    cleanups.push(() => idb.close());
    const cache = await MediaCache.open(refusingPutMedia(idb, 2), 10_000);
    await expect(cache.describeMedia(describeAs('a'))).rejects.toMatchObject({
      name: 'QuotaExceededError',
    });
  });

  it('sessionRecordRefusedOnce_cacheEvicts_sessionCreated', async () => {
    let refusals = 0;
    const h = await ProxyHarness.open();
    cleanups.push(() => h.release());
    const s = await h.session();
    await h.read(s, null);
    const before = (await h.proxy.cache.usage()).storedBytes;
    expect(before).toBe(SIZE);
    const sessions = h.storage.sessions;
    const put = sessions.put.bind(sessions);
    sessions.put = async (session) => {
      if (refusals++ === 0) throw quota();
      return put(session);
    };
    const second = await h.session();
    expect(second.id).toBeTruthy();
    const after = await h.proxy.cache.usage();
    expect(after.quotaErrors).toBe(1);
    expect(after.storedBytes).toBeLessThanOrEqual(before - CHUNK);
  });
});
