/**
 * Sessions sharing one cache key (`MediaRegistry`, `checkSameContent`) and a media deleted during
 * playback (`ParallelMedia.recache`), through the real proxy over fake-indexeddb.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectBytes } from '../support/expectBytes.ts';
import { fakeUpstream } from '../support/fakeUpstream.ts';
import { CHUNKS, ProxyHarness, releaseHarnesses, SIZE } from '../support/proxyHarness.ts';

afterEach(async () => {
  await releaseHarnesses();
});
async function open(): Promise<ProxyHarness> {
  return ProxyHarness.open();
}

describe('MediaRegistry: two URLs, one cache key', () => {
  it('secondUrlSameContent_probedOnce_thenServesFromTheSharedChunks', async () => {
    const h = await open();
    const a = await h.session({ cacheKey: 'film' });
    expectBytes((await h.read(a, null)).bytes, h.upstream.bytes(0, SIZE - 1));
    const b = await h.proxy.createSession(`${h.upstream.url}?token=2`, { cacheKey: 'film' });
    const before = h.upstream.requests.length;
    expectBytes((await h.read(b, 'bytes=100-2999')).bytes, h.upstream.bytes(100, 2999));
    expectBytes((await h.read(b, 'bytes=0-9')).bytes, h.upstream.bytes(0, 9));
    // One probe of the new URL, no chunk fetched again.
    const added = h.upstream.requests.slice(before);
    expect(added.map((r) => [r.url.endsWith('?token=2'), r.range])).toEqual([[true, 'bytes=0-0']]);
  });

  it('secondUrlOtherContent_cacheKeyConflict409_storedChunksUntouched', async () => {
    const h = await open();
    const a = await h.session({ cacheKey: 'film' });
    await h.read(a, null);
    // From now on the upstream serves another file (a different size): as the second URL would.
    h.upstream.changeFrom(h.upstream.requests.length, { size: SIZE + 500 });
    const b = await h.proxy.createSession(`${h.upstream.url}?other`, { cacheKey: 'film' });
    const answer = await h.read(b, 'bytes=0-9');
    expect(answer.status).toBe(409);
    expect(JSON.parse(new TextDecoder().decode(answer.bytes)).error).toBe('cache-key-conflict');
    expect(h.proxy.cache.entry('film')?.storedChunks).toBe(CHUNKS);
    // The first session still reads its stored bytes.
    expectBytes((await h.read(a, 'bytes=0-99')).bytes, h.upstream.bytes(0, 99, 0));
  });
});

describe('MediaRegistry: a URL checked against old content', () => {
  it('contentChangedOnTheFirstUrl_secondUrlCheckedAgain_409_newChunksKept', async () => {
    const U1 = 'https://upstream.test/media.mp4';
    const U2 = 'https://mirror.test/media.mp4';
    const f1 = fakeUpstream({ size: SIZE, url: U1 });
    const f2 = fakeUpstream({ size: SIZE, url: U2 }); // the same content as f1 at first
    const router = fakeUpstream({ size: SIZE, url: U1 });
    Object.defineProperty(router, 'fetch', {
      value: (url: string, init: RequestInit) => (url.startsWith(U2) ? f2 : f1).fetch(url, init),
    });
    const h = await ProxyHarness.open({ upstream: router });
    const a = await h.proxy.createSession(U1, { cacheKey: 'film', prefetch: 0 });
    const b = await h.proxy.createSession(U2, { cacheKey: 'film', prefetch: 0 });
    await h.read(a, 'bytes=0-99');
    await h.read(b, 'bytes=0-99'); // U2 probed: the same content, so it may serve the media
    await h.read(a, 'bytes=0-99');

    f1.changeFrom(f1.requests.length, {}); // U1 serves new content now, U2 still the old one
    const fresh = await h.read(a, 'bytes=5000-5099'); // the change found, the media reopened
    expectBytes(fresh.bytes, f1.bytes(5000, 5099, 1));
    expect(h.proxy.cache.isStored('film', 5)).toBe(true);

    // U2 was only ever checked against the old media: probed again before any chunk of it.
    const before = f2.requests.length;
    const old = await h.read(b, 'bytes=0-99');
    expect(old.status).toBe(409);
    expect(f2.requests.slice(before).map((r) => r.range)).toEqual(['bytes=0-0']);
    expect(h.proxy.cache.isStored('film', 5)).toBe(true);
  });
});

describe('ParallelMedia: deleted from the cache during playback', () => {
  it('deleteThenRead_theKeyStartsFresh_cachedAgain', async () => {
    const h = await open();
    const s = await h.session();
    await h.read(s, null);
    expect(await h.proxy.handleMessage({ type: 'cacheDelete', key: h.key })).toBe(true);
    expect(h.proxy.cache.entry(h.key)).toBeUndefined();
    expectBytes((await h.read(s, null)).bytes, h.upstream.bytes(0, SIZE - 1));
    expect(h.proxy.cache.entry(h.key)?.storedChunks).toBe(CHUNKS);
  });
});
