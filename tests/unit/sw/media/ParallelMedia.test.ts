/**
 * `ParallelMedia`'s download decisions, seen through the real proxy and store against a scripted
 * upstream: how many chunk requests run at once, which chunk goes first, that each chunk is
 * fetched once however many readers want it, and that slow storage does not stall the downloads.
 * Asserted on the fake's request log (ranges, order, in-flight counts), never on durations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectBytes } from '../support/expectBytes.ts';
import { type FakeUpstream, fakeUpstream } from '../support/fakeUpstream.ts';
import { gate } from '../support/gate.ts';
import { HeldWritesStore } from '../support/HeldWritesStore.ts';
import { PassThroughStore } from '../support/PassThroughStore.ts';
import {
  CHUNK,
  CHUNKS,
  chunkOf,
  concat,
  ProxyHarness,
  readAll,
  releaseHarnesses,
  SIZE,
} from '../support/proxyHarness.ts';
import { settled, until } from '../support/until.ts';

const LAST = SIZE - 1;
let heldStores: HeldWritesStore[] = [];

async function open(...args: Parameters<typeof ProxyHarness.open>): Promise<ProxyHarness> {
  return ProxyHarness.open(...args);
}

afterEach(async () => {
  // Held writes first: a session cannot close while the cache waits on one.
  for (const store of heldStores) store.release();
  heldStores = [];
  await releaseHarnesses();
});

/** A harness on `up` whose chunk writes wait until `store.release()` (slow storage). */
async function openHeld(up: FakeUpstream): Promise<{ h: ProxyHarness; store: HeldWritesStore }> {
  const h = await open({ upstream: up, wrapChunks: (chunks) => new HeldWritesStore(chunks) });
  const store = h.storage.chunks;
  if (!(store instanceof HeldWritesStore)) throw new Error('chunk store not wrapped');
  heldStores.push(store);
  return { h, store };
}

/** How many times each chunk was requested, by index. */
function requestCounts(h: ProxyHarness): number[] {
  return Array.from({ length: CHUNKS }, (_, i) => h.requestsFor(i).length);
}

describe('ParallelMedia: concurrency', () => {
  it('tenChunksConcurrency3_maxInFlightExactly3_neverAbove', async () => {
    const h = await open();
    const session = await h.session({ concurrency: 3, prefetch: 8 });
    expectBytes((await h.read(session, null)).bytes, h.upstream.bytes(0, LAST));
    await h.idle(session);

    expect(h.upstream.maxInFlight).toBe(3);
    for (const r of h.upstream.requests) expect(r.inFlightAtStart).toBeLessThanOrEqual(3);
    expect((await h.stats(session)).chunks.peakInFlight).toBe(3);
    expect(requestCounts(h)).toEqual(Array(CHUNKS).fill(1));
  });

  it.each([1, 2, 5])('concurrency %i_maxInFlightIsThatCap', async (cap) => {
    const h = await open();
    const session = await h.session({ concurrency: cap, prefetch: CHUNKS });
    expectBytes((await h.read(session, 'bytes=0-')).bytes, h.upstream.bytes(0, LAST));
    await h.idle(session);
    // The probe overlaps the early chunk-0 request: with a cap of 1 that makes two.
    expect(h.upstream.maxInFlight).toBe(Math.max(cap, 2));
    expect((await h.stats(session)).chunks.peakInFlight).toBe(cap);
    expect(requestCounts(h)).toEqual(Array(CHUNKS).fill(1));
  });

  it('requiredChunk_requestedBeforeQueuedPrefetches', async () => {
    // Every chunk request waits for its headers until the test opens the gate.
    const headers = gate();
    const up = fakeUpstream({ size: SIZE }).fault(
      { holdHeaders: headers.promise },
      (r) => chunkOf(r) !== null,
    );
    const h = await open({ upstream: up });
    const session = await h.session({ concurrency: 3, prefetch: 8 });

    const first = h.request(session, 'bytes=0-');
    await until(() => up.requests.filter((r) => chunkOf(r) !== null).length === 3, '3 running');
    await until(async () => (await h.stats(session)).chunks.queued === 6, 'prefetches 3-8 queued');
    expect(up.requests.map(chunkOf).filter((i) => i !== null)).toEqual([0, 1, 2]);

    // A second reader needs chunk 9 now: it is queued behind nothing.
    const second = h.request(session, 'bytes=9000-');
    await until(async () => (await h.stats(session)).chunks.queued === 7, 'chunk 9 queued');
    headers.open();

    expectBytes((await readAll(await first)).bytes, up.bytes(0, LAST));
    expectBytes((await readAll(await second)).bytes, up.bytes(9000, LAST));
    const order = up.requests.map(chunkOf).filter((i) => i !== null);
    expect(order.slice(0, 4)).toEqual([0, 1, 2, 9]);
    expect(order.slice(4)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(up.maxInFlight).toBe(3);
  });

  it('twoConcurrentReadersOneSession_eachChunkRequestedOnce', async () => {
    const h = await open();
    const session = await h.session({ concurrency: 3, prefetch: 8 });
    const [a, b] = await Promise.all([h.read(session, 'bytes=0-'), h.read(session, 'bytes=4000-')]);
    expectBytes(a.bytes, h.upstream.bytes(0, LAST));
    expectBytes(b.bytes, h.upstream.bytes(4000, LAST));
    await h.idle(session);
    expect(requestCounts(h)).toEqual(Array(CHUNKS).fill(1));
    expect(h.upstream.maxInFlight).toBeLessThanOrEqual(3);
  });

  it('twoSessionsSameMediaConcurrently_eachChunkRequestedOnce_oneProbe', async () => {
    const h = await open();
    const s1 = await h.session({ concurrency: 3, prefetch: 8 });
    const s2 = await h.session({ concurrency: 3, prefetch: 8 });
    const [a, b] = await Promise.all([h.read(s1, null), h.read(s2, null)]);
    expectBytes(a.bytes, h.upstream.bytes(0, LAST));
    expectBytes(b.bytes, h.upstream.bytes(0, LAST));
    await h.idle(s1);
    expect(requestCounts(h)).toEqual(Array(CHUNKS).fill(1));
    expect(h.upstream.requests.filter((r) => r.range === 'bytes=0-0')).toHaveLength(1);
    expect(h.upstream.maxInFlight).toBeLessThanOrEqual(3);
  });
});

describe('ParallelMedia: slow storage', () => {
  // Slow storage must not throttle the network: a download frees its concurrency slot when its
  // bytes are in, not when they are written. With every write held, all chunks are still
  // requested, at the cap.
  it('writesHeld_downloadsStayAtConcurrencyWhileChunksRemain', async () => {
    const up = fakeUpstream({ size: SIZE, pieceBytes: 100 });
    const { h, store } = await openHeld(up);
    const session = await h.session({ concurrency: 3, prefetch: CHUNKS });
    const response = await h.request(session, 'bytes=0-');
    await until(() => store.writes.length > 0, 'a chunk write arrives');
    // Let everything that can happen while the writes are held happen.
    await settled(() => `${up.requests.length}/${up.inFlight()}/${store.writes.length}`);

    const chunkRequests = up.requests.filter((r) => chunkOf(r) !== null);
    const atCap = chunkRequests.filter((r) => r.inFlightAtStart === 3).length;
    expect(store.waiting().length).toBeGreaterThan(0); // still held: nothing was written
    expect(Math.max(...chunkRequests.map((r) => r.inFlightAtStart))).toBeLessThanOrEqual(3);
    expect(
      chunkRequests.length,
      `chunks requested while writes are held (${CHUNKS} to fetch)`,
    ).toBe(CHUNKS);
    expect(atCap, 'chunk requests that started with the cap reached').toBeGreaterThanOrEqual(2);

    store.release();
    expectBytes((await readAll(response)).bytes, up.bytes(0, LAST));
  });

  it('writesHeld_lastByteOfChunkWaitsForStore_thenRangeCompletesExactly', async () => {
    const up = fakeUpstream({ size: SIZE });
    const { h, store } = await openHeld(up);
    const session = await h.session({ prefetch: 0 });
    const response = await h.request(session, 'bytes=0-999');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const parts: Uint8Array[] = [];
    let done = false;
    const pump = (async () => {
      for (;;) {
        const next = await reader.read();
        if (next.done) break;
        parts.push(next.value);
      }
      done = true;
    })();
    await until(() => store.writes.length === 1, 'chunk 0 write arrives');
    await settled(() => `${parts.reduce((n, p) => n + p.byteLength, 0)}/${done}`);
    // Everything but the chunk's last byte was sent on; that byte waits until it is stored.
    expect(parts.reduce((n, p) => n + p.byteLength, 0)).toBe(CHUNK - 1);
    expect(done).toBe(false);

    store.release();
    await pump;
    expectBytes(concat(parts), up.bytes(0, CHUNK - 1));
    expect(await h.storage.chunks.listChunks(h.key)).toEqual([
      { key: h.key, index: 0, size: CHUNK },
    ]);
  });
});

/** Counts the chunk reads that reach the store. */
class CountedReadsStore extends PassThroughStore {
  reads = 0;
  override getChunk(key: string, index: number) {
    this.reads++;
    return super.getChunk(key, index);
  }
  override getSpan(key: string, from: number, to: number) {
    this.reads++;
    return super.getSpan(key, from, to);
  }
}

describe('ParallelMedia: chunks stored moments ago', () => {
  it('readerBehindDownloads_readsChunksJustStoredFromMemory_noStoreRead', async () => {
    const h = await open({ wrapChunks: (chunks) => new CountedReadsStore(chunks) });
    const store = h.storage.chunks as CountedReadsStore;
    const session = await h.session({ concurrency: 3, prefetch: CHUNKS });
    // The body is not read until every chunk of the window is downloaded and stored: the reader
    // is behind all of them, as it is behind four fast downloads.
    const response = await h.request(session, 'bytes=0-');
    await h.idle(session);
    expect((await h.stats(session)).chunks.stored).toBe(CHUNKS);
    expectBytes((await readAll(response)).bytes, h.upstream.bytes(0, LAST));
    expect(store.reads, 'chunk reads that went to storage').toBe(0);
    expect(requestCounts(h)).toEqual(Array(CHUNKS).fill(1));
  });

  it('chunkEveryReaderPassed_leftMemory_readFromStore', async () => {
    const h = await open({ wrapChunks: (chunks) => new CountedReadsStore(chunks) });
    const store = h.storage.chunks as CountedReadsStore;
    const session = await h.session({ concurrency: 3, prefetch: 2 });
    await h.read(session, null);
    await h.idle(session);
    expect(store.reads).toBe(0);
    // The reader went to the last chunk: chunk 0 is no longer kept, only stored.
    expectBytes((await h.read(session, 'bytes=0-9')).bytes, h.upstream.bytes(0, 9));
    expect(store.reads, 'chunk reads that went to storage').toBeGreaterThan(0);
  });

  it('mediaDeleted_chunkStillInMemory_downloadedAndStoredAnew', async () => {
    const h = await open();
    const session = await h.session({ concurrency: 3, prefetch: CHUNKS });
    await h.read(session, null);
    await h.idle(session);
    expect(await h.proxy.handleMessage({ type: 'cacheDelete', key: h.key })).toBe(true);
    expectBytes((await h.read(session, 'bytes=0-')).bytes, h.upstream.bytes(0, LAST));
    await h.idle(session);
    expect(h.proxy.cache.entry(h.key)?.storedChunks).toBe(CHUNKS);
    expect(requestCounts(h)).toEqual(Array(CHUNKS).fill(2));
  });
});

describe('ParallelMedia: a content change found late', () => {
  it('closedMediaFindsAChange_theNextMediasChunksUntouched', async () => {
    const h = await open();
    const first = await h.session();
    await h.read(first, null);
    await h.idle(first);
    // The registry is private: the test holds the closed media itself to replay a late report.
    // biome-ignore lint/complexity/useLiteralKeys: a private member, reached by name on purpose
    const registry = h.proxy['media'];
    const old = await registry.peek(first.cacheKey);
    await h.proxy.closeSession(first.id); // the media closes; a read of it may still be ending

    const next = await h.session();
    await h.read(next, 'bytes=0-99');
    const current = await registry.peek(next.cacheKey);
    expect(current).not.toBe(old);
    expect(h.proxy.cache.storedChunks(next.cacheKey)).toBe(CHUNKS);

    // A late direct read of the closed media reports a change: it is not that media's to act on.
    if (old?.mode !== 'parallel') throw new Error('expected a parallel media');
    old.contentChanged();
    await settled(() => JSON.stringify(h.proxy.cache.entry(next.cacheKey) ?? null));
    expect(h.proxy.cache.storedChunks(next.cacheKey)).toBe(CHUNKS);
    expect(current?.stale).toBe(false);
  });
});

describe('ParallelMedia: chunks kept in memory for readers', () => {
  /** The parallel media of `h`'s key, as the registry holds it. */
  async function mediaOf(h: ProxyHarness) {
    // biome-ignore lint/complexity/useLiteralKeys: a private member, reached by name on purpose
    const media = await h.proxy['media'].peek(h.key);
    if (media?.mode !== 'parallel') throw new Error('expected a parallel media');
    return media;
  }

  /** The chunks `media` holds in memory for its readers (`RecentChunks`). */
  function kept(media: Awaited<ReturnType<typeof mediaOf>>): number[] {
    // biome-ignore lint/complexity/useLiteralKeys: a private member, reached by name on purpose
    const downloads = media['downloads'];
    return Array.from({ length: CHUNKS }, (_, i) => i).filter(
      (i) => downloads.recentBytes(i) !== undefined,
    );
  }

  it('downloadForOffline_noReader_noChunkKept', async () => {
    const h = await open();
    const session = await h.session();
    expect(await h.downloadForOffline(session)).toMatchObject({ state: 'done' });
    expect(kept(await mediaOf(h))).toEqual([]);
  });

  it('downloadForOfflineBesideAReader_onlyTheReadersWindowKept', async () => {
    const up = fakeUpstream({ size: SIZE });
    const held = gate();
    up.fault({ holdHeaders: held.promise }, (r) => chunkOf(r) === 1);
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: 2 });
    const reading = h.read(session, null);
    const job = h.downloadForOffline(session);
    // The reader waits on chunk 1 (its window 1–3); the download stores every other chunk.
    await until(() => h.proxy.cache.storedChunks(h.key) === CHUNKS - 1, 'all but chunk 1 stored');
    const media = await mediaOf(h);
    // Chunks 4–9 are the download's: kept, they would have pushed out the reader's 2 and 3.
    expect(kept(media)).toEqual([2, 3]);
    held.open();
    expectBytes((await reading).bytes, up.bytes(0, LAST));
    expect(await job).toMatchObject({ state: 'done' });
  });

  it('readerWaitsBehindItsPrefetches_chunksInItsWindowKept_droppedWhenItLeaves', async () => {
    const up = fakeUpstream({ size: SIZE });
    const held = gate();
    up.fault({ holdHeaders: held.promise }, (r) => chunkOf(r) === 5);
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: CHUNKS });
    const reading = h.read(session, null);
    // The reader waits on chunk 5 while the chunks after it are downloaded and stored.
    await until(() => h.proxy.cache.storedChunks(h.key) === CHUNKS - 1, 'all but chunk 5 stored');
    const media = await mediaOf(h);
    await until(() => kept(media).length === 4, 'four chunks kept');
    expect(kept(media)).toEqual([6, 7, 8, 9]); // the ones behind it were read and let go
    held.open();
    expectBytes((await reading).bytes, up.bytes(0, LAST));
    await h.idle(session);
    expect(kept(media)).toEqual([]);
  });
});
