/**
 * Which chunk downloads the proxy reads natively (`chooseChunkBody`), through the real runtime
 * against a scripted upstream: never a chunk a reader waits on, never before the upstream was
 * measured; chunks nobody reads (a download for offline, prefetches) once it was; and a native
 * attempt that fails is retried through JavaScript. Asserted from the proxy's own record (stats'
 * `nativeChunks`, a retry's bytes showing as they arrive) and the bytes served, never a time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectBytes } from '../support/expectBytes.ts';
import { type FakeUpstream, fakeUpstream, type RecordedRequest } from '../support/fakeUpstream.ts';
import { gate } from '../support/gate.ts';
import { CHUNK, ProxyHarness, releaseHarnesses } from '../support/proxyHarness.ts';

// The upstream's speed is measured with `performance.now()`: stopped here, every download
// measures instantly, so which chunks go native never hangs on how busy the machine is (a
// chunk of the fake taking over a second would otherwise count as slow). Timers stay real.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
});

afterEach(async () => {
  await releaseHarnesses();
  vi.useRealTimers();
});

const CHUNKS = 20;
const SIZE = CHUNKS * CHUNK - 300; // the last chunk short

/** The chunk a GET asked for (a range starting on a chunk boundary), else null. */
function chunkOf(request: RecordedRequest): number | null {
  const m = /^bytes=(\d+)-(\d+)$/.exec(request.range ?? '');
  const start = Number(m?.[1]);
  return m && request.method === 'GET' && start % CHUNK === 0 ? start / CHUNK : null;
}

/** How many requests for chunk `index` `up` had received up to and including `request`. */
function attempts(up: FakeUpstream, index: number, request: RecordedRequest): number {
  return up.requests.filter((q) => chunkOf(q) === index && q.index <= request.index).length;
}

describe('native chunk bodies', () => {
  it('downloadForOffline_fastUpstream_nativeOnceMeasured_bytesExact', async () => {
    const up = fakeUpstream({ size: SIZE });
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session();
    const done = await h.downloadForOffline(session);
    expect(done).toMatchObject({ state: 'done', storedChunks: CHUNKS });
    const { nativeChunks } = await h.stats(session);
    // Chunk 0 comes from the request sent with the probe, which is not timed; the next four
    // downloads measure the upstream (and up to three more start before the fourth of them
    // ends): every later one is read natively.
    expect(nativeChunks).toBeGreaterThanOrEqual(CHUNKS - 8);
    expect(nativeChunks).toBeLessThanOrEqual(CHUNKS - 5);
    const asked = up.requests.length;
    const got = await h.read(session, null);
    expect(up.requests).toHaveLength(asked); // every byte from the store
    expectBytes(got.bytes, up.bytes(0, SIZE - 1));
  });

  it('everyChunkAwaitedByAReader_neverNative', async () => {
    const up = fakeUpstream({ size: SIZE });
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session({ prefetch: 0 });
    const got = await h.read(session, null);
    expectBytes(got.bytes, up.bytes(0, SIZE - 1));
    expect((await h.stats(session)).nativeChunks).toBe(0);
  });

  it('prefetchAheadOfAReader_nativeOnceMeasured_readerBytesExact', async () => {
    const up = fakeUpstream({ size: SIZE });
    const h = await ProxyHarness.open({ upstream: up, options: { prefetch: 8 } });
    const session = await h.session();
    const got = await h.read(session, null);
    expectBytes(got.bytes, up.bytes(0, SIZE - 1));
    await h.idle(session);
    const stats = await h.stats(session);
    expect(stats.nativeChunks).toBeGreaterThan(0);
    expect(stats.chunks.stored).toBe(CHUNKS);
  });

  it('oneConnection_chunks1To4Measure_everyLaterChunkNative', async () => {
    const up = fakeUpstream({ size: SIZE });
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session({ concurrency: 1 });
    expect(await h.downloadForOffline(session)).toMatchObject({ state: 'done' });
    // (Chunk 0, from the request sent with the probe, is not timed.)
    expect((await h.stats(session)).nativeChunks).toBe(CHUNKS - 5);
  });

  it('anotherMediaOfAMeasuredOrigin_nativeFromItsFirstChunk_anotherOriginMeasuresAgain', async () => {
    const up = fakeUpstream({ size: SIZE }); // answers any URL with its bytes
    const h = await ProxyHarness.open({ upstream: up });
    const first = await h.session({ concurrency: 1 });
    expect(await h.downloadForOffline(first)).toMatchObject({ state: 'done' });
    expect((await h.stats(first)).nativeChunks).toBe(CHUNKS - 5);
    // The speed record is the origin's: a second file there needs no measuring of its own.
    const sameOrigin = await h.proxy.createSession('https://upstream.test/other/second.mp4', {
      concurrency: 1,
    });
    expect(await h.downloadForOffline(sameOrigin)).toMatchObject({ state: 'done' });
    expect((await h.stats(sameOrigin)).nativeChunks).toBe(CHUNKS);
    expectBytes((await h.read(sameOrigin, null)).bytes, up.bytes(0, SIZE - 1));
    const elsewhere = await h.proxy.createSession('https://mirror.test/media.mp4', {
      concurrency: 1,
    });
    expect(await h.downloadForOffline(elsewhere)).toMatchObject({ state: 'done' });
    expect((await h.stats(elsewhere)).nativeChunks).toBe(CHUNKS - 5);
  });

  it('oneConnection_aNativeAttemptFailsFast_upstreamMeasuredAnew', async () => {
    const up = fakeUpstream({ size: SIZE });
    // Chunk 10's first attempt (native) answers 503 at once: no speed can be read from that.
    up.fault({ status: 503 }, (r) => chunkOf(r) === 10 && attempts(up, 10, r) === 1);
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session({ concurrency: 1 });
    expect(await h.downloadForOffline(session)).toMatchObject({ state: 'done' });
    const stats = await h.stats(session);
    expect(stats.retries).toBe(1);
    // Native: 5–9 (chunk 0 untimed, 1–4 measure), then (10's retry and 11–13 measuring anew
    // through JavaScript) 14–19.
    expect(stats.nativeChunks).toBe(11);
    expectBytes((await h.read(session, null)).bytes, up.bytes(0, SIZE - 1));
  });

  it.each<[number, string, number]>([
    [1, 'done', CHUNKS],
    [2, 'failed', CHUNKS - 1],
  ])('maxRetries1_nativeFails_then%iJavaScriptFailures_%s', async (failures, state, stored) => {
    const up = fakeUpstream({ size: SIZE });
    const last = CHUNKS - 1;
    // The first attempt (native) and the next `failures` (through JavaScript) answer 503: the
    // native one costs no retry, so one retry is left for the JavaScript attempts.
    up.fault({ status: 503 }, (r) => chunkOf(r) === last && attempts(up, last, r) <= 1 + failures);
    const h = await ProxyHarness.open({ upstream: up, options: { maxRetries: 1 } });
    const session = await h.session({ concurrency: 1 });
    expect(await h.downloadForOffline(session)).toMatchObject({ state, storedChunks: stored });
    // The native attempt, then two through JavaScript: the second succeeds or is the last.
    expect(up.requests.filter((r) => chunkOf(r) === last)).toHaveLength(3);
  });

  it('nativeAttemptEndsShort_retriedThroughJavaScript_evenWithNoRetriesLeft', async () => {
    const up = fakeUpstream({ size: SIZE, pieceBytes: 100 });
    const last = CHUNKS - 1;
    // The first attempt stalls at 300 bytes until released, then ends short at 500; the retry
    // stalls at 300 until released. What each has received can be looked at while it stalls.
    const first = gate();
    const second = gate();
    const at = (n: number) => {
      let seen!: (request: RecordedRequest) => void;
      const promise = new Promise<RecordedRequest>((resolve) => {
        seen = resolve;
      });
      return {
        promise,
        when: (r: RecordedRequest) => {
          const hit = chunkOf(r) === last && attempts(up, last, r) === n;
          if (hit) seen(r);
          return hit;
        },
      };
    };
    const one = at(1);
    const two = at(2);
    up.fault({ stallAfter: { bytes: 300, until: first.promise }, endAfter: 500 }, one.when);
    up.fault({ stallAfter: { bytes: 300, until: second.promise } }, two.when);
    const h = await ProxyHarness.open({ upstream: up, options: { maxRetries: 0 } });
    const session = await h.session();
    const done = h.downloadForOffline(session);
    await (await one.promise).stalled;
    // Read natively: nothing shows before the body is complete.
    let stats = await h.stats(session);
    expect(stats.activity?.downloading).toContainEqual({ index: last, received: null });
    first.open();
    await (await two.promise).stalled;
    // The retry reads through JavaScript: 300 bytes received show.
    stats = await h.stats(session);
    expect(stats.retries).toBe(1);
    expect(stats.activity?.downloading).toContainEqual({ index: last, received: 300 });
    second.open();
    expect(await done).toMatchObject({ state: 'done', storedChunks: CHUNKS });
    expectBytes((await h.read(session, null)).bytes, up.bytes(0, SIZE - 1));
  });

  it('aMediaTimedOutNatively_itsOwnDownloadsDecide_notTheOriginsRefilledRecord', async () => {
    const up = fakeUpstream({ size: SIZE }); // answers any URL with its bytes
    const COLD = 'https://upstream.test/cold.mp4';
    const isCold = (r: RecordedRequest) => r.url === COLD;
    const coldAttempts = (index: number, r: RecordedRequest) =>
      up.requests.filter((q) => isCold(q) && chunkOf(q) === index && q.index <= r.index).length;
    // The cold file's chunk 0 (read natively: the origin is measured) never completes, so it
    // times out; its chunk 1 waits for its headers while another file refills the origin's
    // record with fast downloads.
    up.fault(
      { stallAfter: { bytes: 0, until: 'never' } },
      (r) => isCold(r) && chunkOf(r) === 0 && coldAttempts(0, r) === 1,
    );
    const held = gate();
    const started = gate(); // opened when the fake sees that request
    up.fault({ holdHeaders: held.promise }, (r) => {
      const hit = isCold(r) && chunkOf(r) === 1 && coldAttempts(1, r) === 1;
      if (hit) started.open();
      return hit;
    });
    const h = await ProxyHarness.open({ upstream: up, options: { stallTimeoutMs: 400 } });
    const hot = await h.session({ concurrency: 1 });
    expect(await h.downloadForOffline(hot)).toMatchObject({ state: 'done' });
    expect((await h.stats(hot)).nativeChunks).toBe(CHUNKS - 5);

    const cold = await h.proxy.createSession(COLD, { concurrency: 1 });
    const coldDone = h.downloadForOffline(cold);
    await started.promise;
    // The timeout made the origin unmeasured; another file of it measures it fast again.
    const refill = await h.proxy.createSession('https://upstream.test/refill.mp4', {
      concurrency: 1,
    });
    expect(await h.downloadForOffline(refill)).toMatchObject({ state: 'done' });
    // (Chunks 1–4 measure at most: chunk 0's retry of the cold file may have been one.)
    expect((await h.stats(refill)).nativeChunks).toBeGreaterThanOrEqual(CHUNKS - 5);
    held.open();
    expect(await coldDone).toMatchObject({ state: 'done', storedChunks: CHUNKS });
    const stats = await h.stats(cold);
    expect(stats.retries).toBe(1);
    // Its own record held the timeout (as slow as the stall timeout) until four of its own
    // downloads came after it (chunk 0's retry, 1, 2, 3): native from chunk 4 only, where the
    // origin's record alone would have sent chunks 2 and 3 native too.
    expect(stats.nativeChunks).toBe(CHUNKS - 4);
    expectBytes((await h.read(cold, null)).bytes, up.bytes(0, SIZE - 1));
  });

  it('aMediaTimedOutOnOneOrigin_servedFromAnother_itsRecordThereStartsEmpty', async () => {
    const up = fakeUpstream({ size: SIZE }); // answers any URL with its bytes
    const FILM = up.url;
    const MIRROR = 'https://mirror.test/media.mp4';
    const isFilm = (r: RecordedRequest) => r.url === FILM;
    // The film's chunk 1 (a prefetch, read natively) never completes on its first origin.
    const timedOut = gate();
    up.fault({ stallAfter: { bytes: 0, until: 'never' } }, (r) => {
      const tries = up.requests.filter((q) => isFilm(q) && chunkOf(q) === 1 && q.index <= r.index);
      const hit = isFilm(r) && chunkOf(r) === 1 && tries.length === 1;
      if (hit) void r.ended.then(timedOut.open);
      return hit;
    });
    const h = await ProxyHarness.open({ upstream: up, options: { stallTimeoutMs: 400 } });
    for (const url of ['https://mirror.test/other.mp4', 'https://upstream.test/other.mp4']) {
      const measure = await h.proxy.createSession(url, { concurrency: 1 });
      expect(await h.downloadForOffline(measure)).toMatchObject({ state: 'done' });
    }
    const here = await h.proxy.createSession(FILM, {
      cacheKey: 'film',
      concurrency: 1,
      prefetch: 1,
    });
    expect((await h.read(here, `bytes=0-${CHUNK - 1}`)).status).toBe(206);
    await timedOut.promise;
    await h.idle(here);
    expect((await h.stats(here)).retries).toBe(1); // chunk 1 timed out once, then came
    // The same film from a mirror (its origin measured fast): the timeout was the other origin's.
    const there = await h.proxy.createSession(MIRROR, { cacheKey: 'film', concurrency: 1 });
    expect(await h.downloadForOffline(there)).toMatchObject({ state: 'done' });
    expect(up.requests.filter((r) => r.url === MIRROR && chunkOf(r) === 2)).toHaveLength(1);
    expect((await h.stats(there)).nativeChunks).toBe(CHUNKS - 2); // chunks 2–19
    expectBytes((await h.read(there, null)).bytes, up.bytes(0, SIZE - 1));
  });

  it('shortLastChunkReadSlowly_notASpeed_theRestStillNative', async () => {
    const up = fakeUpstream({ size: SIZE }); // answers any URL with its bytes
    const TAIL = 'https://upstream.test/index-at-end.mp4';
    const last = CHUNKS - 1;
    // The short last chunk of a second file is read first (an index at the end) and, by the
    // stopped clock moved by hand, takes 10 s: mostly round trip, nothing to judge 1000-byte
    // chunks by.
    const stalled = gate();
    const release = gate();
    up.fault({ stallAfter: { bytes: 100, until: release.promise } }, (r) => {
      const hit = r.url === TAIL && chunkOf(r) === last;
      if (hit) void r.stalled.then(stalled.open);
      return hit;
    });
    const h = await ProxyHarness.open({ upstream: up });
    const first = await h.session({ concurrency: 1 });
    expect(await h.downloadForOffline(first)).toMatchObject({ state: 'done' });
    const second = await h.proxy.createSession(TAIL, { concurrency: 1, prefetch: 0 });
    const tail = h.read(second, `bytes=${last * CHUNK}-`);
    await stalled.promise;
    vi.advanceTimersByTime(10_000);
    release.open();
    expectBytes((await tail).bytes, up.bytes(last * CHUNK, SIZE - 1));
    expect(await h.downloadForOffline(second)).toMatchObject({ state: 'done' });
    // Every other chunk native on the origin's record: the slow tail was not recorded (as this
    // file's own speed it would have kept chunks 0–3 on JavaScript reads).
    expect((await h.stats(second)).nativeChunks).toBe(CHUNKS - 1);
    expectBytes((await h.read(second, null)).bytes, up.bytes(0, SIZE - 1));
  });

  it('readerJoinsANativePrefetch_oneRequest_exactBytes', async () => {
    const up = fakeUpstream({ size: SIZE });
    const held = gate();
    const started = gate(); // opened when the fake sees that request
    up.fault({ holdHeaders: held.promise }, (r) => {
      if (chunkOf(r) === 12) started.open();
      return chunkOf(r) === 12;
    });
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session({ concurrency: 1, prefetch: CHUNKS });
    // A first reader of chunk 0 (not timed: it came with the probe) leaves its prefetches
    // running: 1–4 measure, 5 on are native.
    expect((await h.read(session, `bytes=0-${CHUNK - 1}`)).status).toBe(206);
    await started.promise;
    const reading = h.read(session, `bytes=${12 * CHUNK}-${13 * CHUNK - 1}`);
    held.open();
    const got = await reading;
    expectBytes(got.bytes, up.bytes(12 * CHUNK, 13 * CHUNK - 1));
    expect(up.requests.filter((r) => chunkOf(r) === 12)).toHaveLength(1);
    await h.idle(session);
    expect((await h.stats(session)).nativeChunks).toBe(CHUNKS - 5);
  });
});
