/**
 * The streamed body of a parallel-mode response (`createChunkedBody`), through the real proxy and
 * store against a scripted upstream: bytes sent on before their chunk completes, a request that
 * falls back to a direct upstream read when its chunk cannot be had, a body cancelled by its
 * reader, a seek dropping prefetches. Exact bytes and the fake's request log, never durations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChunkSource } from '../../../../src/sw/serve/ChunkSource.ts';
import { createChunkedBody } from '../../../../src/sw/serve/createChunkedBody.ts';
import { expectBytes } from '../support/expectBytes.ts';
import { fakeUpstream, type RecordedRequest } from '../support/fakeUpstream.ts';
import { gate } from '../support/gate.ts';
import {
  CHUNK,
  chunkOf,
  chunkRange,
  concat,
  ProxyHarness,
  releaseHarnesses,
  SIZE,
} from '../support/proxyHarness.ts';
import { until } from '../support/until.ts';

const LAST = SIZE - 1;
async function open(...args: Parameters<typeof ProxyHarness.open>): Promise<ProxyHarness> {
  return ProxyHarness.open(...args);
}

afterEach(async () => {
  await releaseHarnesses();
});

describe('createChunkedBody: fallback to a direct upstream read', () => {
  it.each<[string | null, 200 | 206, number, number, string]>([
    [null, 200, 0, LAST, `bytes=3000-${LAST}`],
    ['bytes=2500-5499', 206, 2500, 5499, 'bytes=3000-5499'],
    ['bytes=3100-3199', 206, 3100, 3199, 'bytes=3100-3199'],
  ])(
    'range %s_chunk3FailsAfterRetries_restReadDirectly_exactBytes',
    async (range, status, start, end, direct) => {
      const up = fakeUpstream({ size: SIZE }).fault({ status: 503 }, (r) => chunkOf(r) === 3);
      const h = await open({ upstream: up });
      const session = await h.session({ prefetch: 0 });

      const got = await h.read(session, range);
      expect(got.status).toBe(status);
      expectBytes(got.bytes, up.bytes(start, end));
      expect(h.requestsFor(3)).toHaveLength(4); // 1 + maxRetries
      const after = up.requests.filter((r) => chunkOf(r) === null && r.range !== 'bytes=0-0');
      expect(after.map((r) => r.range)).toEqual([direct]);
      const stats = await h.stats(session);
      expect(stats.fallbacks).toBe(1);
      expect(stats.retries).toBe(3);
      expect(stats.failedChunks).toEqual([3]);
      expect(stats.upstreamBytes).toBe(end - Math.max(start, 3000) + 1);
      expect(stats.reason).toMatch(/fell back to single mode at byte/);
    },
  );

  it('firstChunkFails_wholeRangeReadDirectly_exact206', async () => {
    const up = fakeUpstream({ size: SIZE }).fault({ status: 503 }, (r) => chunkOf(r) === 0);
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: 0 });
    const got = await h.read(session, 'bytes=10-');
    expect(got.status).toBe(206);
    expect(got.headers.get('Content-Range')).toBe(`bytes 10-${LAST}/${SIZE}`);
    expectBytes(got.bytes, up.bytes(10, LAST));
    expect((await h.stats(session)).fallbacks).toBe(1);
  });

  it('fallbackFailsToo_beforeFirstByte_502Json', async () => {
    // The probe works; every other request answers 503.
    const up = fakeUpstream({ size: SIZE }).fault({ status: 503 }, (r) => r.range !== 'bytes=0-0');
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: 0 });
    const got = await h.read(session, 'bytes=0-');
    expect(got.status).toBe(502);
    expect(JSON.parse(new TextDecoder().decode(got.bytes))).toMatchObject({
      error: 'upstream-status',
      status: 503,
    });
  });

  it('fallbackFailsMidResponse_bodyBreaksAfterExactBytes', async () => {
    const up = fakeUpstream({ size: SIZE }).fault(
      { status: 503 },
      (r) => r.range !== 'bytes=0-0' && chunkOf(r) !== 0 && chunkOf(r) !== 1,
    );
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: 0 });
    const got = await h.readSome(session, null);
    expect(got.status).toBe(200);
    expect(got.error).not.toBeNull();
    expectBytes(got.bytes, up.bytes(0, 1999));
  });
});

describe('createChunkedBody: bytes of a chunk still downloading', () => {
  it('firstBytesSentBeforeChunkCompletes_restExactAfter', async () => {
    const body = gate();
    const up = fakeUpstream({ size: SIZE, pieceBytes: 100 }).fault(
      { stallAfter: { bytes: 500, until: body.promise } },
      (r) => chunkOf(r) === 0,
    );
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: 0 });

    const response = await h.request(session, 'bytes=0-1999');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const parts: Uint8Array[] = [];
    while (parts.reduce((n, p) => n + p.byteLength, 0) < 500) {
      const next = await reader.read();
      if (next.done) break;
      parts.push(next.value);
    }
    // Chunk 0's request is still stalled: these bytes came from its download in progress.
    expect(h.requestsFor(0)[0]?.end).toBeNull();
    expectBytes(concat(parts), up.bytes(0, 499));

    body.open();
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      parts.push(next.value);
    }
    expectBytes(concat(parts), up.bytes(0, 1999));
  });
});

describe('createChunkedBody: a download that breaks after bytes were sent on', () => {
  it('retryRestartsTheChunk_readerContinuesWhereItWas_exactBytes', async () => {
    const body = gate();
    const up = fakeUpstream({ size: SIZE, pieceBytes: 100 });
    // Only the first request for chunk 0 (the early one, adopted) stalls, then breaks.
    const firstOfChunk0 = (r: RecordedRequest) => up.requests.find((q) => chunkOf(q) === 0) === r;
    up.fault({ stallAfter: { bytes: 500, until: body.promise }, errorAfter: 500 }, firstOfChunk0);
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: 0 });

    const response = await h.request(session, 'bytes=0-1999');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const parts: Uint8Array[] = [];
    while (parts.reduce((n, p) => n + p.byteLength, 0) < 500) {
      const next = await reader.read();
      if (next.done) break;
      parts.push(next.value);
    }
    body.open(); // the first attempt breaks after the 500 bytes already sent on
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      parts.push(next.value);
    }
    expectBytes(concat(parts), up.bytes(0, 1999));
    expect(h.requestsFor(0).map((r) => r.end?.how)).toEqual(['errored', 'complete']);
    expect((await h.stats(session)).retries).toBe(1);
  });
});

describe('createChunkedBody: catch-up reads', () => {
  it('seekDeepIntoChunkWhoseDownloadIsBehind_restOfChunkReadDirectly_exactBytes', async () => {
    // Catch-up needs a gap of 64 KiB (worthCatchingUp.ts): chunks of 256 KiB here.
    const chunk = 256 * 1024;
    const size = 4 * chunk;
    const body = gate();
    const up = fakeUpstream({ size }).fault(
      { stallAfter: { bytes: 0, until: body.promise } },
      (r) => r.range === `bytes=0-${chunk - 1}`,
    );
    const h = await open({ upstream: up });
    const session = await h.session({ chunkSize: chunk, prefetch: 3 });

    const got = await h.read(session, 'bytes=200000-');
    expect(got.status).toBe(206);
    expectBytes(got.bytes, up.bytes(200000, size - 1));
    expect(up.requests.filter((r) => r.range === `bytes=200000-${chunk - 1}`)).toHaveLength(1);
    const stats = await h.stats(session);
    expect(stats.catchUpReads).toBe(1);
    expect(stats.upstreamBytes).toBe(chunk - 200000);

    // The chunk's own download went on, and is stored once it completes.
    expect(up.requests.filter((r) => r.range === `bytes=0-${chunk - 1}`)).toHaveLength(1);
    body.open();
    await h.idle(session);
    expect(h.proxy.cache.isStored(h.key, 0)).toBe(true);
  });
});

describe('createChunkedBody: a reader going away', () => {
  it('bodyCancelled_downloadGoesOnAsPrefetch_chunkStored', async () => {
    const body = gate();
    const up = fakeUpstream({ size: SIZE }).fault(
      { stallAfter: { bytes: 100, until: body.promise } },
      (r) => chunkOf(r) === 1,
    );
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: 2 });
    const response = await h.request(session, 'bytes=900-');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await until(() => h.requestsFor(1).length === 1, 'chunk 1 requested');
    await h.requestsFor(1)[0]?.stalled;
    await reader.cancel();

    body.open();
    await h.idle(session);
    expect(h.requestsFor(1)[0]).toMatchObject({ aborted: false, end: { how: 'complete' } });
    expect(h.proxy.cache.isStored(h.key, 1)).toBe(true);
    expect(h.requestsFor(1)).toHaveLength(1);
  });

  it('cancelledWhileItsNextPieceArrives_noFallback_noDirectUpstreamRead', async () => {
    // The body's cancel() does its work a task later (WebKit, see createChunkedBody): a piece
    // arriving in between cannot be enqueued any more, which must end the body, not count as a
    // failed chunk and open a direct upstream read. A scripted ChunkSource times it exactly.
    let received = 100;
    let wake: () => void = () => undefined;
    const fellBack: number[] = [];
    const upstreamReads: string[] = [];
    const source: ChunkSource = {
      size: 1000,
      chunkSize: 1000,
      stale: false,
      closed: false,
      servingStored: false,
      openReader: () => ({ moveTo: () => undefined, close: () => undefined }),
      readChunk: () => new Promise(() => undefined), // chunk 0 never completes here
      isStored: () => false,
      isDownloading: () => true,
      partialBytes: (_index, offset) =>
        received > offset ? new Uint8Array(received - offset).fill(7) : null,
      partialChanged: () =>
        new Promise<void>((resolve) => {
          wake = resolve;
        }),
      worthCatchingUp: () => false,
      readUpstream: async (start, end) => {
        upstreamReads.push(`${start}-${end}`);
        return new ReadableStream<Uint8Array>();
      },
      served: () => undefined,
      fellBack: (position) => {
        fellBack.push(position);
      },
    };
    const body = await createChunkedBody(source, 0, 999);
    const reader = body.getReader();
    expect((await reader.read()).value?.byteLength).toBe(100);
    const pending = reader.read(); // a pull now waits for chunk 0's next bytes
    await Promise.resolve();
    const cancelled = reader.cancel(); // the reader leaves: the stream is closed at once…
    received = 300;
    wake(); // …and the next bytes arrive before cancel()'s deferred work ran
    await cancelled;
    await pending;
    expect(fellBack).toEqual([]);
    expect(upstreamReads).toEqual([]);
  });

  it('seekFarAway_prefetchesOutsideEveryWindow_dropped_halfDoneOneFinished', async () => {
    const release = gate();
    // Chunk 1 stalls more than half in (kept when dropped), chunk 2 barely started (aborted).
    const up = fakeUpstream({ size: SIZE, pieceBytes: 100 })
      .fault({ stallAfter: { bytes: 600, until: release.promise } }, (r) => chunkOf(r) === 1)
      .fault({ stallAfter: { bytes: 100, until: release.promise } }, (r) => chunkOf(r) === 2);
    const h = await open({ upstream: up });
    const session = await h.session({ concurrency: 3, prefetch: 2 });

    const first = await h.request(session, 'bytes=0-');
    await Promise.all(
      [1, 2].map(async (i) => {
        await until(() => h.requestsFor(i).length === 1, `chunk ${i} requested`);
        await h.requestsFor(i)[0]?.stalled;
      }),
    );
    await first.body?.cancel(); // the media element seeks away…
    const seek = await h.read(session, 'bytes=7000-'); // …to chunk 7
    expectBytes(seek.bytes, up.bytes(7000, LAST));

    expect(h.requestsFor(2)[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
    expect(h.requestsFor(1)[0]?.aborted).toBe(false);
    release.open();
    await h.idle(session);
    expect(h.requestsFor(1)[0]?.end?.how).toBe('complete');
    expect(h.proxy.cache.isStored(h.key, 1)).toBe(true);
    expect(h.proxy.cache.isStored(h.key, 2)).toBe(false);
    expect((await h.stats(session)).droppedChunks).toContain(2);
    // Nothing between the old window and the seek was fetched.
    expect([3, 4, 5, 6].map((i) => h.requestsFor(i).length)).toEqual([0, 0, 0, 0]);
    expect(h.requestsFor(7).map((r) => r.range)).toEqual([chunkRange(7)]);
  });
});

describe('createChunkedBody: a stored chunk that stops being readable', () => {
  /** A Blob whose bytes can no longer be read, as an OPFS File after its chunk was rewritten. */
  class UnreadableBlob extends Blob {
    override slice(): Blob {
      const dead = new Blob([]);
      dead.arrayBuffer = () => Promise.reject(new DOMException('file changed', 'NotReadableError'));
      return dead;
    }
  }

  it('storedChunkUnreadableMidResponse_readAgain_exactBytes', async () => {
    let poisoned = 0;
    const h = await ProxyHarness.open({
      wrapChunks: (chunks) =>
        new Proxy(chunks, {
          get(target, name, receiver) {
            if (name !== 'getChunk') return Reflect.get(target, name, receiver);
            return async (key: string, index: number) => {
              const blob = await target.getChunk(key, index);
              if (blob && index === 0 && poisoned++ === 0) return new UnreadableBlob([blob]);
              return blob;
            };
          },
        }),
    });
    const first = await h.session({ prefetch: 0 });
    await h.read(first, `bytes=0-${CHUNK - 1}`); // chunk 0 stored, chunk 1 not
    // A new media (its only session closed): chunk 0 is no longer in memory, only stored.
    await h.proxy.closeSession(first.id);
    const s = await h.session({ prefetch: 0 });
    const answer = await h.read(s, `bytes=10-${CHUNK + 10}`);
    expect(answer.status).toBe(206);
    expectBytes(answer.bytes, h.upstream.bytes(10, CHUNK + 10));
    expect(poisoned).toBeGreaterThan(0);
    // Served from the chunk read again, not by falling back to the upstream.
    expect((await h.stats(s)).fallbacks).toBe(0);
  });
});

describe('createChunkedBody: content change racing a dropped prefetch', () => {
  it('droppedPrefetchFinishingOnItsOwn_contentChanges_itsWireStops_noOldByteStoredOrServed', async () => {
    const release = gate();
    // Chunk 1 (old content) stalls more than half in: dropped by the seek, it would finish and be
    // written. From the seek's own request on, the upstream serves a new content (new ETag).
    const up = fakeUpstream({ size: SIZE, pieceBytes: 100 }).fault(
      { stallAfter: { bytes: 600, until: release.promise } },
      (r) => chunkOf(r) === 1 && r.version === 0,
    );
    const h = await open({ upstream: up });
    const session = await h.session({ concurrency: 3, prefetch: 2 });
    const first = await h.request(session, 'bytes=0-');
    await until(() => h.requestsFor(1).length === 1, 'chunk 1 requested');
    await h.requestsFor(1)[0]?.stalled;
    await first.body?.cancel();

    up.changeFrom(up.requests.length, {});
    // The seek's chunk carries the new ETag: the content change is found, the media goes stale,
    // the request is served again from a fresh probe of the new content.
    const seek = await h.read(session, 'bytes=7000-');
    expect(seek.status).toBe(206);
    expectBytes(seek.bytes, up.bytes(7000, LAST, 1));

    // The old chunk 1 was still finishing on its own: it was stopped on the wire, not written.
    expect(h.requestsFor(1)[0]).toMatchObject({ aborted: true, version: 0 });
    release.open();
    await h.idle(session);
    const whole = await h.read(session, null);
    expectBytes(whole.bytes, up.bytes(0, LAST, 1));
    // Every chunk stored now is the new content's (what a second full read served from storage).
    const again = await h.read(session, null);
    expectBytes(again.bytes, up.bytes(0, LAST, 1));
  });
});
