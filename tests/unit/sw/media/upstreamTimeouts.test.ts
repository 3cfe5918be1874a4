/**
 * Upstream timeouts through the real proxy: a request whose headers never come or whose body
 * stops is a transient failure — a chunk is retried (its concurrency slot freed), a direct read
 * answers 504 `upstream-timeout` — never a hang. The `headerTimeoutMs`/`stallTimeoutMs` options
 * reach every request. Only the clock of timeouts is faked (fake-indexeddb runs on setImmediate);
 * the tests assert outcomes and the fake's request log, never durations.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamProxyOptions } from '../../../../src/sw/StreamProxy.ts';
import { expectBytes } from '../support/expectBytes.ts';
import {
  type Fault,
  type FaultWhen,
  fakeUpstream,
  type RecordedRequest,
} from '../support/fakeUpstream.ts';
import { chunkOf, ProxyHarness, readAll, releaseHarnesses, SIZE } from '../support/proxyHarness.ts';
import { until } from '../support/until.ts';

const LAST = SIZE - 1;
const HEADERS_NEVER: Fault = { holdHeaders: 'never' };
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await releaseHarnesses();
});

async function open(fault: Fault, when: FaultWhen, options: StreamProxyOptions = {}) {
  const up = fakeUpstream({ size: SIZE }).fault(fault, when);
  const h = await ProxyHarness.open({ upstream: up, options });
  return { h, up };
}

/**
 * Wait for `promise`, moving the fake clock `stepMs` per turn (at least 1: a 0 ms timer set while
 * the fake clock runs, such as a retry's backoff with `retryDelayMs: 0`, is due 1 ms later).
 */
async function drive<T>(promise: Promise<T>, stepMs = 1): Promise<T> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await until(async () => {
    await vi.advanceTimersByTimeAsync(stepMs);
    return done;
  }, 'the request settled');
  return promise;
}

/** Wait, without moving the clock, until the first request for chunk `index` ended. */
function firstAttemptEnded(h: ProxyHarness, index: number): Promise<void> {
  return until(() => h.requestsFor(index)[0]?.end != null, `chunk ${index}'s attempt ended`);
}

const isProbe = (r: RecordedRequest) => r.range === 'bytes=0-0';
/** The single-mode request for the client's `bytes=100-199` (the others: probe, early chunk 0). */
const isRead = (r: RecordedRequest) => r.range === 'bytes=100-199';
/** The single-mode request for a whole body (of known size: asked for as the range of it all). */
const isWholeRead = (r: RecordedRequest) => r.method === 'GET' && r.range === `bytes=0-${LAST}`;

describe('upstream timeouts: chunks', () => {
  it('chunkHeadersNeverCome_timedOutAndRetried_exactBytes', async () => {
    const { h, up } = await open(
      HEADERS_NEVER,
      (r) => chunkOf(r) === 3 && up.requests.filter((q) => chunkOf(q) === 3).length === 1,
    );
    const session = await h.session({ prefetch: 0 });
    const reading = h.read(session, null);
    await until(() => h.requestsFor(3).length === 1, 'chunk 3 requested');
    await vi.advanceTimersByTimeAsync(15_000);
    await firstAttemptEnded(h, 3);
    const got = await drive(reading);

    expect(got.status).toBe(200);
    expectBytes(got.bytes, up.bytes(0, LAST));
    expect(h.requestsFor(3).map((r) => r.end?.how)).toEqual(['aborted', 'complete']);
    const stats = await h.stats(session);
    expect(stats.retries).toBe(1);
    expect(stats.fallbacks).toBe(0);
  });

  it('prefetchHeadersNeverCome_slotFreed_nextPrefetchDownloads', async () => {
    const { h, up } = await open(
      HEADERS_NEVER,
      (r) => chunkOf(r) === 1 && up.requests.filter((q) => chunkOf(q) === 1).length === 1,
    );
    // One slot: a hung prefetch of chunk 1 would keep chunk 2 from ever downloading.
    const session = await h.session({ concurrency: 1, prefetch: 2 });
    await h.read(session, 'bytes=0-999');
    await until(() => h.requestsFor(1).length === 1, 'chunk 1 prefetched');
    await vi.advanceTimersByTimeAsync(15_000);
    await firstAttemptEnded(h, 1);
    await drive(h.idle(session));

    expect(h.requestsFor(1).map((r) => r.end?.how)).toEqual(['aborted', 'complete']);
    expect(h.proxy.cache.isStored(h.key, 1)).toBe(true);
    expect(h.proxy.cache.isStored(h.key, 2)).toBe(true);
  });

  it('chunkBodyStalls_timedOutAndRetried_exactBytes', async () => {
    const { h, up } = await open(
      { stallAfter: { bytes: 100, until: 'never' } },
      (r) => chunkOf(r) === 2 && up.requests.filter((q) => chunkOf(q) === 2).length === 1,
    );
    const session = await h.session({ prefetch: 0 });
    const reading = h.read(session, null);
    await until(() => h.requestsFor(2).length === 1, 'chunk 2 requested');
    await h.requestsFor(2)[0]?.stalled;
    await vi.advanceTimersByTimeAsync(20_000);
    await firstAttemptEnded(h, 2);
    const got = await drive(reading);

    expectBytes(got.bytes, up.bytes(0, LAST));
    expect(h.requestsFor(2).map((r) => r.end?.how)).toEqual(['aborted', 'complete']);
    expect((await h.stats(session)).retries).toBe(1);
  });

  it('everyRequestButTheProbeHangs_chunkThenFallbackTimeOut_504UpstreamTimeout', async () => {
    const { h, up } = await open(HEADERS_NEVER, (r) => !isProbe(r), { maxRetries: 1 });
    const session = await h.session({ prefetch: 0 });
    const got = await drive(h.read(session, 'bytes=0-'), 5000);

    expect(got.status).toBe(504);
    expect(JSON.parse(new TextDecoder().decode(got.bytes))).toMatchObject({
      error: 'upstream-timeout',
    });
    expect(up.inFlight()).toBe(0); // every timed-out request was aborted on the wire
    expect(up.requests.filter((r) => !isProbe(r)).every((r) => r.aborted)).toBe(true);
    // Chunk 0 timed out twice (maxRetries 1), then the fallback read timed out too.
    const stats = await h.stats(session);
    expect(stats.retries).toBe(1);
    expect(stats.fallbacks).toBe(1);
  });
});

describe('upstream timeouts: the probe and single mode', () => {
  it('probeHeadersNeverCome_504UpstreamTimeout', async () => {
    const { h, up } = await open(HEADERS_NEVER, isProbe);
    const session = await h.session();
    const got = await drive(h.read(session, 'bytes=0-'), 5000);
    expect(got.status).toBe(504);
    expect(JSON.parse(new TextDecoder().decode(got.bytes)).error).toBe('upstream-timeout');
    expect(up.requests.find(isProbe)).toMatchObject({ aborted: true });
  });

  it('singleModeHeadersNeverCome_504UpstreamTimeout_abortedOnTheWire', async () => {
    const { h, up } = await open({ ignoreRange: true }, () => true);
    up.fault(HEADERS_NEVER, isRead);
    const session = await h.session();
    const reading = h.read(session, 'bytes=100-199');
    await until(() => up.requests.some(isRead), 'the single-mode request made');
    await vi.advanceTimersByTimeAsync(15_000);
    const got = await drive(reading);
    expect(got.status).toBe(504);
    expect(JSON.parse(new TextDecoder().decode(got.bytes)).error).toBe('upstream-timeout');
    expect(up.requests.find(isRead)).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('singleModeBodyStalls_bodyBreaksAfterExactBytes_abortedOnTheWire', async () => {
    const { h, up } = await open({ ignoreRange: true }, () => true);
    up.fault({ stallAfter: { bytes: 500, until: 'never' } }, isWholeRead);
    const session = await h.session();
    const response = await h.request(session, null);
    const reading = readAll(response);
    await until(() => up.requests.some(isWholeRead), 'the single-mode request made');
    await up.requests.find(isWholeRead)?.stalled;
    await vi.advanceTimersByTimeAsync(20_000);
    const got = await drive(reading);
    expect(got.error).toMatchObject({ code: 'upstream-timeout' });
    expectBytes(got.bytes, up.bytes(0, 499));
    expect(up.requests.find(isWholeRead)).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });
});

describe('upstream timeouts: the proxy options', () => {
  it('headerTimeoutMsOption_reachesSingleModeRequests', async () => {
    const { h, up } = await open({ ignoreRange: true }, () => true, { headerTimeoutMs: 1000 });
    up.fault(HEADERS_NEVER, isRead);
    const session = await h.session();
    const reading = h.read(session, 'bytes=100-199');
    await until(() => up.requests.some(isRead), 'the single-mode request made');
    await vi.advanceTimersByTimeAsync(1000);
    expect((await drive(reading)).status).toBe(504);
  });

  it('headerTimeoutMsOption_reachesChunkRequests', async () => {
    const { h, up } = await open(
      HEADERS_NEVER,
      (r) => chunkOf(r) === 3 && up.requests.filter((q) => chunkOf(q) === 3).length === 1,
      { headerTimeoutMs: 1000 },
    );
    const session = await h.session({ prefetch: 0 });
    const reading = h.read(session, null);
    await until(() => h.requestsFor(3).length === 1, 'chunk 3 requested');
    await vi.advanceTimersByTimeAsync(1000);
    await firstAttemptEnded(h, 3);
    expectBytes((await drive(reading)).bytes, up.bytes(0, LAST));
    expect(h.requestsFor(3)).toHaveLength(2);
  });

  it('stallTimeoutMsOption_reachesChunkBodies', async () => {
    const { h, up } = await open(
      { stallAfter: { bytes: 100, until: 'never' } },
      (r) => chunkOf(r) === 2 && up.requests.filter((q) => chunkOf(q) === 2).length === 1,
      { stallTimeoutMs: 2000 },
    );
    const session = await h.session({ prefetch: 0 });
    const reading = h.read(session, null);
    await until(() => h.requestsFor(2).length === 1, 'chunk 2 requested');
    await h.requestsFor(2)[0]?.stalled;
    await vi.advanceTimersByTimeAsync(2000);
    await firstAttemptEnded(h, 2);
    expectBytes((await drive(reading)).bytes, up.bytes(0, LAST));
    expect(h.requestsFor(2)).toHaveLength(2);
  });
});
