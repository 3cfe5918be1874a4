/**
 * The store lost a media the cache still indexes (its database deleted under the worker): the
 * write is refused as stale, the cache forgets the media, and describing it again resumes caching.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MediaCache } from '../../../../src/sw/cache/MediaCache.ts';
import { IdbChunkStore } from '../../../../src/sw/store/IdbChunkStore.ts';
import { openChunkwiseDb } from '../../../../src/sw/store/openChunkwiseDb.ts';

const description = {
  key: 'm',
  url: 'https://u.test/m',
  size: 200,
  contentType: null,
  etag: '"e"',
  lastModified: null,
  chunkSize: 100,
  validation: 'strong' as const,
};

describe('MediaCache: media lost by the store', () => {
  it('writeRefusedAsStale_mediaForgotten_describedAgain_cachingResumes', async () => {
    const store = new IdbChunkStore(await openChunkwiseDb(`lost-${process.pid}`));
    const cache = await MediaCache.open(store, 10_000);
    const { meta } = await cache.describeMedia(description);
    await store.deleteMedia('m'); // behind the cache's back
    const chunk = new Blob([new Uint8Array(100)]);
    expect(await cache.writeChunk('m', meta.version, 0, chunk)).toBe('not-cached');
    expect(cache.getMedia('m')).toBeUndefined();
    const { meta: again } = await cache.describeMedia(description);
    expect(again.version).toBeGreaterThan(meta.version);
    expect(await cache.writeChunk('m', again.version, 0, chunk)).toBe('stored');
    expect(cache.entry('m')?.storedChunks).toBe(1);
    store.close();
  });
});
