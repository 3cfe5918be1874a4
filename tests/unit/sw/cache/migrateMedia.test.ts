/**
 * `migrateMedia` between two real `IdbChunkStore`s on fake-indexeddb (two databases standing for
 * the backend an installation used before and the one it uses now).
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaCache } from '../../../../src/sw/cache/MediaCache.ts';
import { migrateMedia } from '../../../../src/sw/cache/migrateMedia.ts';
import type { ChunkStore, MediaMeta } from '../../../../src/sw/store/ChunkStore.ts';
import { IdbChunkStore } from '../../../../src/sw/store/IdbChunkStore.ts';
import { openChunkwiseDb } from '../../../../src/sw/store/openChunkwiseDb.ts';

const CHUNK = 100;
let n = 0;
const opened: ChunkStore[] = [];

async function freshStore(): Promise<IdbChunkStore> {
  const store = new IdbChunkStore(await openChunkwiseDb(`migrate-${process.pid}-${++n}`));
  opened.push(store);
  return store;
}

afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

function meta(key: string, chunks: number, extra: Partial<MediaMeta> = {}): MediaMeta {
  return {
    key,
    url: `https://upstream.test/${key}`,
    size: chunks * CHUNK - 30,
    contentType: 'video/mp4',
    etag: '"e1"',
    lastModified: null,
    chunkSize: CHUNK,
    validation: 'strong',
    version: 7,
    lastAccess: 1000,
    pinned: false,
    ...extra,
  };
}

function bytes(key: string, index: number, length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (key.charCodeAt(0) * 31 + index * 7 + i) & 0xff;
  return out;
}

/** `from` holding `m` with chunks `indexes`, each of its right length. */
async function fill(from: ChunkStore, m: MediaMeta, indexes: number[]): Promise<void> {
  await from.putMedia(m);
  for (const i of indexes) {
    const length = Math.min(CHUNK, m.size - i * CHUNK);
    await from.putChunk(m.key, m.version, i, new Blob([bytes(m.key, i, length)]));
  }
}

describe('migrateMedia', () => {
  it('everyChunkMoved_byteExact_oldBackendEmptied_pinKept', async () => {
    const from = await freshStore();
    const to = await freshStore();
    await fill(from, meta('a', 3, { pinned: true }), [0, 1, 2]);
    await fill(from, meta('b', 2, { lastAccess: 2000 }), [1]);
    const cache = await MediaCache.open(to, 10_000);

    const report = await migrateMedia(from, cache);

    expect(report).toEqual({ from: 'indexeddb', media: 2, chunks: 4, dropped: 0 });
    expect(await from.listMedia()).toEqual([]);
    expect(await from.listChunks()).toEqual([]);
    const entries = Object.fromEntries(cache.list().map((e) => [e.key, e]));
    expect(entries.a).toMatchObject({ storedChunkRanges: [[0, 2]], pinned: true, size: 270 });
    expect(entries.b).toMatchObject({ storedChunkRanges: [[1, 1]], pinned: false });
    for (const i of [0, 1, 2]) {
      const blob = await to.getChunk('a', i);
      const length = Math.min(CHUNK, 270 - i * CHUNK);
      expect(new Uint8Array(await (blob as Blob).arrayBuffer())).toEqual(bytes('a', i, length));
    }
    expect((await cache.usage()).storedBytes).toBe(270 + 70); // b: its short last chunk
  });

  it('overBudget_chunksThatDoNotFitDropped_neverAboveBudget', async () => {
    const from = await freshStore();
    const to = await freshStore();
    await fill(from, meta('a', 5), [0, 1, 2, 3, 4]);
    const cache = await MediaCache.open(to, 2 * CHUNK);

    const report = await migrateMedia(from, cache);

    expect(report.chunks + report.dropped).toBe(5);
    expect((await cache.usage()).peakStoredBytes).toBeLessThanOrEqual(2 * CHUNK);
    expect(await from.listChunks()).toEqual([]);
  });

  it('mediaAlreadyInTheNewBackend_sameContent_storedChunksKept_missingOnesAdded', async () => {
    const from = await freshStore();
    const to = await freshStore();
    await fill(from, meta('a', 3), [0, 2]);
    const cache = await MediaCache.open(to, 10_000);
    const { version, lastAccess, pinned, ...description } = meta('a', 3);
    const { meta: current } = await cache.describeMedia(description);
    expect(await cache.writeChunk('a', current.version, 1, new Blob([bytes('a', 1, CHUNK)]))).toBe(
      'stored',
    );

    const report = await migrateMedia(from, cache);

    expect(report).toMatchObject({ media: 1, chunks: 2 });
    expect(cache.entry('a')?.storedChunkRanges).toEqual([[0, 2]]);
  });
});
