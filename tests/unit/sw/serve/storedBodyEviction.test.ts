/**
 * A fully stored range is answered with one composed Blob. Where such a Blob stops being
 * readable once its chunks are removed (OPFS files, WebKit's IndexedDB:
 * `ChunkStore.blobsOutliveRemoval` false), its chunks are pinned while the body is read, and
 * released once it ends. The store here hands out Blobs that break exactly that way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChunkStore } from '../../../../src/sw/store/ChunkStore.ts';
import { expectBytes } from '../support/expectBytes.ts';
import { fakeUpstream } from '../support/fakeUpstream.ts';
import { PassThroughStore } from '../support/PassThroughStore.ts';
import { ProxyHarness, readAll, releaseHarnesses, SIZE } from '../support/proxyHarness.ts';

afterEach(async () => {
  await releaseHarnesses();
});

/** A Blob that, like an OPFS `File`, fails to read once `gone()` says its chunks were removed. */
class FragileBlob extends Blob {
  constructor(
    private readonly inner: Blob,
    private readonly gone: () => boolean,
  ) {
    super([inner], { type: inner.type });
  }
  override slice(start?: number, end?: number, type?: string): Blob {
    return new FragileBlob(this.inner.slice(start, end, type), this.gone);
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const source = this.inner.stream().getReader();
    const gone = this.gone;
    return new ReadableStream({
      async pull(controller) {
        if (gone()) {
          controller.error(new DOMException('file changed', 'NotReadableError'));
          return;
        }
        const { done, value } = await source.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
    });
  }
  override async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.gone()) throw new DOMException('file changed', 'NotReadableError');
    return this.inner.arrayBuffer();
  }
}

/** Records removed chunks; the spans it hands out break once one of their chunks is removed. */
class FragileSpanStore extends PassThroughStore {
  readonly removed = new Set<string>();
  override get blobsOutliveRemoval() {
    return false;
  }
  override async deleteChunks(key: string, indexes: number[]): Promise<number[]> {
    const done = await super.deleteChunks(key, indexes);
    for (const i of done) this.removed.add(`${key}/${i}`);
    return done;
  }
  /** Fail the next `getSpan` (a storage error while a stored range is read). */
  failNextSpan = false;
  override async getSpan(key: string, from: number, to: number): Promise<Blob | null> {
    if (this.failNextSpan) {
      this.failNextSpan = false;
      throw new DOMException('disk gone', 'UnknownError');
    }
    const span = await super.getSpan(key, from, to);
    if (span === null) return null;
    const names = Array.from({ length: to - from + 1 }, (_, k) => `${key}/${from + k}`);
    return new FragileBlob(span, () => names.some((n) => this.removed.has(n)));
  }
}

/** Media A stored whole in a cache with room for one media and three chunks more. */
async function storedMediaA() {
  const up = fakeUpstream({ size: SIZE });
  let store!: FragileSpanStore;
  const h = await ProxyHarness.open({
    upstream: up,
    options: { budget: SIZE + 3000 },
    wrapChunks: (c: ChunkStore) => {
      store = new FragileSpanStore(c);
      return store;
    },
  });
  const a = await h.session({ cacheKey: 'A' });
  await h.read(a, null);
  await h.idle(a);
  return { up, h, store, a };
}

/** Another media read whole and stored: its writes evict what they need to. */
async function storeWhole(h: ProxyHarness, cacheKey: string): Promise<void> {
  const session = await h.session({ cacheKey });
  await h.read(session, null);
  await h.idle(session);
}

/** The chunks of `key` the store removed so far. */
function evictedOf(store: FragileSpanStore, key: string): string[] {
  return [...store.removed].filter((n) => n.startsWith(`${key}/`));
}

describe('stored Blob bodies and eviction', () => {
  it('storedBodyBeingRead_otherMediaFillsTheCache_itsChunksKeptUntilItEnds', async () => {
    const { up, h, store, a } = await storedMediaA();
    expect(h.proxy.cache.entry('A')?.storedChunks).toBe(10);

    const before = up.requests.length;
    const stored = await h.request(a, 'bytes=0-');
    expect(up.requests.length).toBe(before); // answered from storage

    // Another media fills the cache while that body is still unread: A's chunks stay.
    await storeWhole(h, 'B');
    expect(evictedOf(store, 'A')).toEqual([]);
    const got = await readAll(stored);
    expect(got.error).toBeNull();
    expectBytes(got.bytes, up.bytes(0, SIZE - 1));

    // The body ended: the pin is gone, and the next write past the budget may take A's chunks.
    await storeWhole(h, 'C');
    expect(evictedOf(store, 'A').length).toBeGreaterThan(0);
  });

  it('storedBodyBeingRead_itsMediaCloses_chunksStillKeptUntilItEnds', async () => {
    const { up, h, store, a } = await storedMediaA();
    const stored = await h.request(a, 'bytes=0-');
    // The session goes (its media closes, nothing reads it but this body), then B fills the cache.
    await h.proxy.closeSession(a.id);
    await storeWhole(h, 'B');
    expect(evictedOf(store, 'A')).toEqual([]);
    const got = await readAll(stored);
    expect(got.error).toBeNull();
    expectBytes(got.bytes, up.bytes(0, SIZE - 1));
  });

  it('storedSpanReadFails_500_nothingKept', async () => {
    const { h, store, a } = await storedMediaA();
    store.failNextSpan = true;
    const failed = await h.request(a, 'bytes=0-');
    expect(failed.status).toBe(500);
    await storeWhole(h, 'B');
    expect(evictedOf(store, 'A').length).toBeGreaterThan(0);
  });

  it('storedBodyCancelled_pinReleased', async () => {
    const { h, store, a } = await storedMediaA();
    const stored = await h.request(a, 'bytes=0-');
    await stored.body?.cancel();

    await storeWhole(h, 'B');
    expect(evictedOf(store, 'A').length).toBeGreaterThan(0);
  });
});
