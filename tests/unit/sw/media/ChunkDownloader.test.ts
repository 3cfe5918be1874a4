/**
 * `ChunkDownloader`'s retry decisions through the real proxy: a transient failure (5xx, a body
 * that breaks or ends short) is retried up to `maxRetries` times and the bytes served are exact;
 * a failure that asking again cannot fix (4xx) is not retried. `retryDelayMs: 0` (the harness
 * default) so no backoff is waited for. Prefetch 0 keeps each chunk to one reader's request, so
 * attempts can be counted exactly.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectBytes } from '../support/expectBytes.ts';
import type { Fault, RecordedRequest } from '../support/fakeUpstream.ts';
import { fakeUpstream } from '../support/fakeUpstream.ts';
import { chunkOf, ProxyHarness, releaseHarnesses, SIZE } from '../support/proxyHarness.ts';

const LAST = SIZE - 1;
afterEach(async () => {
  vi.useRealTimers();
  await releaseHarnesses();
});

/** A harness whose upstream misbehaves as `fault` says on the first `times` requests of `chunk`. */
async function faulty(chunk: number, fault: Fault, times: number, maxRetries?: number) {
  const up = fakeUpstream({ size: SIZE });
  const hits = (r: RecordedRequest) =>
    chunkOf(r) === chunk && up.requests.filter((q) => chunkOf(q) === chunk).length <= times;
  up.fault(fault, hits);
  const h = await ProxyHarness.open({
    upstream: up,
    options: maxRetries === undefined ? {} : { maxRetries },
  });
  const session = await h.session({ prefetch: 0 });
  return { h, up, session };
}

describe('ChunkDownloader: retries', () => {
  it.each<[string, Fault, number]>([
    ['status503', { status: 503 }, 0],
    ['status503', { status: 503 }, 3],
    ['status500', { status: 500 }, 3],
    ['bodyBreaksAfter300Bytes', { errorAfter: 300 }, 3],
    ['bodyEndsAfter500Bytes', { endAfter: 500 }, 3],
    ['networkError', { reject: 'unreachable' }, 3],
  ])('%s once on chunk %i_retriedOnce_exactBytes', async (_name, fault, chunk) => {
    const { h, session } = await faulty(chunk, fault, 1);
    const got = await h.read(session, null);
    expect(got.status).toBe(200);
    expectBytes(got.bytes, h.upstream.bytes(0, LAST));
    expect(h.requestsFor(chunk)).toHaveLength(2);
    const stats = await h.stats(session);
    expect(stats.retries).toBe(1);
    expect(stats.fallbacks).toBe(0);
    expect(stats.failedChunks).toEqual([]);
    await h.idle(session);
    expect(h.proxy.cache.isStored(h.key, chunk)).toBe(true);
  });

  it('status503ThreeTimes_thirdRetrySucceeds_noFallback', async () => {
    const { h, session } = await faulty(3, { status: 503 }, 3);
    expectBytes((await h.read(session, null)).bytes, h.upstream.bytes(0, LAST));
    expect(h.requestsFor(3)).toHaveLength(4);
    expect((await h.stats(session)).retries).toBe(3);
    expect((await h.stats(session)).fallbacks).toBe(0);
  });

  it('maxRetries1_status503Twice_giveUpAfterTwoAttempts', async () => {
    const { h, session } = await faulty(3, { status: 503 }, 2, 1);
    expectBytes((await h.read(session, null)).bytes, h.upstream.bytes(0, LAST));
    expect(h.requestsFor(3)).toHaveLength(2);
    const stats = await h.stats(session);
    expect(stats.retries).toBe(1);
    expect(stats.fallbacks).toBe(1); // served by a direct read instead
    expect(stats.failedChunks).toEqual([3]);
  });

  it.each([403, 404] as const)('status%i_notRetried', async (status) => {
    const { h, session } = await faulty(3, { status }, 1);
    const got = await h.read(session, null);
    expectBytes(got.bytes, h.upstream.bytes(0, LAST));
    expect(h.requestsFor(3)).toHaveLength(1);
    const stats = await h.stats(session);
    expect(stats.retries).toBe(0);
    expect(stats.failedChunks).toEqual([3]);
    expect(stats.fallbacks).toBe(1);
  });
});

describe('ChunkDownloader: the early chunk-0 request', () => {
  it('expiredUnadopted_notAdoptedLater_noSpuriousRetry', async () => {
    // Only the clock of timeouts is faked (fake-indexeddb runs on setImmediate).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = await ProxyHarness.open();
    const session = await h.session({ prefetch: 0 });
    await h.read(session, null, 'HEAD'); // opens the media: early request sent, not adopted
    vi.advanceTimersByTime(5000); // EarlyRange's unused timeout: it is aborted on the wire
    vi.useRealTimers();
    expect(h.requestsFor(0)[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });

    const got = await h.read(session, 'bytes=0-999');
    expectBytes(got.bytes, h.upstream.bytes(0, 999));
    const stats = await h.stats(session);
    expect(stats.retries).toBe(0);
    expect(stats.failedChunks).toEqual([]);
    expect(h.requestsFor(0)).toHaveLength(2); // the expired early one, then one of its own
  });

  it('expiredUnadopted_maxRetries0_chunkStillDownloaded_noFallback', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = await ProxyHarness.open({ options: { maxRetries: 0 } });
    const session = await h.session({ prefetch: 0 });
    await h.read(session, null, 'HEAD');
    vi.advanceTimersByTime(5000);
    vi.useRealTimers();

    expectBytes((await h.read(session, 'bytes=0-999')).bytes, h.upstream.bytes(0, 999));
    expect((await h.stats(session)).fallbacks).toBe(0);
    await h.idle(session);
    expect(h.proxy.cache.isStored(h.key, 0)).toBe(true);
  });
});
