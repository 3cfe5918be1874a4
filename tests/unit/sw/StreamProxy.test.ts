/**
 * `StreamProxy` end to end in Node: the real proxy, cache and IndexedDB store (fake-indexeddb)
 * against a scripted upstream. Every case compares exact bytes with the fake's synthetic media and
 * asserts what the proxy decided (status, headers, which upstream requests it made), never how
 * long anything took.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StaleWriteError } from '../../../src/sw/store/StaleWriteError.ts';
import { expectBytes } from './support/expectBytes.ts';
import { fakeUpstream } from './support/fakeUpstream.ts';
import { gate } from './support/gate.ts';
import {
  CHUNK,
  CHUNKS,
  chunkOf,
  chunkRange,
  ProxyHarness,
  readAll,
  releaseHarnesses,
  SIZE,
} from './support/proxyHarness.ts';
import { settled, until } from './support/until.ts';

async function open(...args: Parameters<typeof ProxyHarness.open>): Promise<ProxyHarness> {
  return ProxyHarness.open(...args);
}

afterEach(async () => {
  await releaseHarnesses();
});

/** `[Range header, status, first byte, last byte]` of a 206 or 200 answer. */
type RangeCase = [string | null, 200 | 206, number, number];

const LAST = SIZE - 1;
const RANGES: RangeCase[] = [
  [null, 200, 0, LAST],
  ['bytes=0-1', 206, 0, 1],
  ['bytes=0-0', 206, 0, 0],
  ['bytes=0-', 206, 0, LAST],
  ['bytes=4321-', 206, 4321, LAST],
  ['bytes=-700', 206, SIZE - 700, LAST],
  ['bytes=-20000', 206, 0, LAST],
  ['bytes=9000-99999', 206, 9000, LAST],
  ['bytes=999-1000', 206, 999, 1000],
  ['bytes=1000-1999', 206, 1000, 1999],
  ['bytes=2500-6499', 206, 2500, 6499],
  ['bytes=9400-', 206, 9400, LAST],
  ['bytes=9499-9499', 206, LAST, LAST],
  // Invalid or not ours to answer partially: RFC 9110 §14.2 lets the server ignore Range.
  ['bytes=5-4', 200, 0, LAST],
  ['items=0-1', 200, 0, LAST],
  ['bytes=0-1,5-6', 200, 0, LAST],
  ['bytes 0-1', 200, 0, LAST],
];

function expectAnswer(
  got: { status: number; headers: Headers; bytes: Uint8Array },
  [, status, start, end]: RangeCase,
  expected: Uint8Array,
): void {
  expect(got.status).toBe(status);
  expect(got.headers.get('Content-Length')).toBe(String(end - start + 1));
  expect(got.headers.get('Content-Range')).toBe(
    status === 206 ? `bytes ${start}-${end}/${SIZE}` : null,
  );
  expect(got.headers.get('Accept-Ranges')).toBe('bytes');
  expect(got.headers.get('Content-Type')).toBe('video/mp4');
  expect(got.bytes.byteLength).toBe(end - start + 1);
  expectBytes(got.bytes, expected);
}

describe('StreamProxy: ranges (RFC 9110 §14)', () => {
  it.each(RANGES)('range %s_coldThenWarm_exactBytes_warmAsksNothing', async (...c) => {
    const h = await open();
    const session = await h.session();
    const expected = h.upstream.bytes(c[2], c[3]);

    expectAnswer(await h.read(session, c[0]), c, expected);
    await h.idle(session);
    const asked = h.upstream.requests.length;

    expectAnswer(await h.read(session, c[0]), c, expected);
    expect(h.upstream.requests.length).toBe(asked);
  });

  it.each(['bytes=9500-', 'bytes=9500-9600', 'bytes=20000-', 'bytes=-0'])(
    'unsatisfiable %s_416WithStarSize_coldAndWarm',
    async (range) => {
      const h = await open();
      const session = await h.session();
      for (let round = 0; round < 2; round++) {
        const got = await h.read(session, range);
        expect(got.status).toBe(416);
        expect(got.headers.get('Content-Range')).toBe(`bytes */${SIZE}`);
        expect(got.headers.get('Content-Length')).toBe('0');
        expect(got.bytes.byteLength).toBe(0);
      }
      // Nothing beyond the probe and the early chunk-0 request sent with it (openMedia.ts).
      expect(h.upstream.requests.map((r) => r.range)).toEqual([chunkRange(0), 'bytes=0-0']);
    },
  );

  it('head_200HeadersNoBody_noChunkDownload', async () => {
    const h = await open();
    const session = await h.session();
    const got = await h.read(session, null, 'HEAD');
    expect(got.status).toBe(200);
    expect(got.headers.get('Content-Length')).toBe(String(SIZE));
    expect(got.headers.get('Accept-Ranges')).toBe('bytes');
    expect(got.headers.get('Content-Type')).toBe('video/mp4');
    expect(got.bytes.byteLength).toBe(0);
    expect(h.upstream.requests.map((r) => r.range)).toEqual([chunkRange(0), 'bytes=0-0']);
  });

  it('headWithRange_206HeadersNoBody', async () => {
    const h = await open();
    const session = await h.session();
    const got = await h.read(session, 'bytes=5-9', 'HEAD');
    expect(got.status).toBe(206);
    expect(got.headers.get('Content-Range')).toBe(`bytes 5-9/${SIZE}`);
    expect(got.headers.get('Content-Length')).toBe('5');
    expect(got.bytes.byteLength).toBe(0);
  });

  it('secondFullRead_servedFromStore_noUpstreamRequest', async () => {
    const h = await open();
    const session = await h.session();
    await h.read(session, null);
    await h.idle(session);
    const asked = h.upstream.requests.length;
    const before = (await h.stats(session)).cacheHitBytes;
    const got = await h.read(session, null);
    expectBytes(got.bytes, h.upstream.bytes(0, LAST));
    expect(h.upstream.requests.length).toBe(asked);
    expect((await h.stats(session)).cacheHitBytes - before).toBe(SIZE);
  });

  it('unknownSession_404Json', async () => {
    const h = await open();
    const got = await h.read({ id: 'nope', url: '/stream/nope' } as never, null);
    expect(got.status).toBe(404);
    expect(JSON.parse(new TextDecoder().decode(got.bytes))).toMatchObject({
      error: 'session-not-found',
      id: 'nope',
    });
  });

  it('post_405AllowGetHead', async () => {
    const h = await open();
    const session = await h.session();
    const response = await h.request(session, null, 'POST');
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD');
    expect(h.upstream.requests).toHaveLength(0);
  });
});

describe('StreamProxy: other media sizes', () => {
  it.each<[number, string | null, 200 | 206, number, number]>([
    [500, null, 200, 0, 499], // shorter than one chunk: the early request runs past its end
    [500, 'bytes=100-', 206, 100, 499],
    [500, 'bytes=-1', 206, 499, 499],
    [1000, null, 200, 0, 999], // exactly one chunk
    [10_000, null, 200, 0, 9999], // a multiple of the chunk size: no short chunk
    [10_000, 'bytes=9000-', 206, 9000, 9999],
    [10_000, 'bytes=8999-9000', 206, 8999, 9000],
  ])('size %i range %s_coldThenWarm_exactBytes', async (size, range, status, start, end) => {
    const up = fakeUpstream({ size });
    const h = await open({ upstream: up });
    const session = await h.session();
    for (let round = 0; round < 2; round++) {
      const got = await h.read(session, range);
      expect(got.status).toBe(status);
      expect(got.headers.get('Content-Range')).toBe(
        status === 206 ? `bytes ${start}-${end}/${size}` : null,
      );
      expectBytes(got.bytes, up.bytes(start, end));
      await h.idle(session);
    }
    for (let i = Math.floor(start / CHUNK); i <= Math.floor(end / CHUNK); i++) {
      expect(h.proxy.cache.isStored(h.key, i), `chunk ${i} stored`).toBe(true);
    }
    const ranges = up.requests.filter((r) => r.range !== 'bytes=0-0').map((r) => r.range);
    expect(new Set(ranges).size, 'no chunk requested twice').toBe(ranges.length);
  });

  it.each([null, 'bytes=0-', 'bytes=-5'])('emptyMedia range %s_200NoBody', async (range) => {
    const up = fakeUpstream({ size: 0 });
    const h = await open({ upstream: up });
    const session = await h.session();
    const got = await h.read(session, range);
    expect(got.status).toBe(200);
    expect(got.headers.get('Content-Length')).toBe('0');
    expect(got.bytes.byteLength).toBe(0);
  });
});

describe('StreamProxy: upstream errors', () => {
  it.each<[string, Parameters<ReturnType<typeof fakeUpstream>['fault']>[0], number, string]>([
    ['probe404', { status: 404 }, 404, 'upstream-status'],
    ['probe403', { status: 403 }, 403, 'upstream-status'],
    ['probe503', { status: 503 }, 502, 'upstream-status'],
    ['unreachable', { reject: 'unreachable' }, 502, 'upstream-unreachable'],
  ])('%s_answeredAsJsonError', async (_name, fault, status, code) => {
    const up = fakeUpstream({ size: SIZE }).fault(fault);
    const h = await open({ upstream: up });
    const session = await h.session();
    const got = await h.read(session, 'bytes=0-99');
    expect(got.status).toBe(status);
    expect(got.headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(new TextDecoder().decode(got.bytes))).toMatchObject({ error: code });
  });

  it('failedOpen_forgotten_nextRequestProbesAgain', async () => {
    const up = fakeUpstream({ size: SIZE }).fault({ status: 503 }, [0, 1]);
    const h = await open({ upstream: up });
    const session = await h.session();
    expect((await h.read(session, 'bytes=0-99')).status).toBe(502);
    const got = await h.read(session, 'bytes=0-99');
    expect(got.status).toBe(206);
    expectBytes(got.bytes, up.bytes(0, 99));
  });
});

describe('StreamProxy: content change', () => {
  // The fake starts serving other bytes (new seed, ETag and Last-Modified) at request k: before
  // the probe, between probe and chunks, or amid the chunk downloads.
  it.each([1, 2, 3, 4, 5, 6, 8, 10])(
    'changeFromRequest %i_noResponseMixesContents_nextServesNew_storeHoldsOnlyNew',
    async (k) => {
      const up = fakeUpstream({ size: SIZE }).changeFrom(k, {});
      const h = await open({ upstream: up });
      const session = await h.session();
      const old = up.bytes(0, LAST, 0);
      const now = up.bytes(0, LAST, 1);

      const first = await h.readSome(session, null);
      expect(
        up.requests.some((r) => r.version === 1),
        'the change reached the proxy',
      ).toBe(true);
      const n = first.bytes.byteLength;
      // Either a prefix of one content (then broken), or the whole of one content.
      const sameAsOld = equalBytes(first.bytes, old.subarray(0, n));
      const sameAsNew = equalBytes(first.bytes, now.subarray(0, n));
      expect(sameAsOld || sameAsNew, `first response (${n} bytes) mixes contents`).toBe(true);
      if (first.error !== null) expect(sameAsOld).toBe(true);
      else expect(n).toBe(SIZE);

      await h.idle(session);
      const second = await h.read(session, null);
      expectBytes(second.bytes, now);

      await h.idle(session);
      const stored = await h.storage.chunks.listChunks(h.key);
      expect(stored).toHaveLength(CHUNKS);
      for (const { index } of stored) {
        const blob = await h.storage.chunks.getChunk(h.key, index);
        const bytes = new Uint8Array(await (blob as Blob).arrayBuffer());
        expectBytes(
          bytes,
          up.bytes(index * CHUNK, Math.min(SIZE, (index + 1) * CHUNK) - 1, 1),
          `stored chunk ${index}`,
        );
      }
    },
  );

  it('changeFoundMidResponse_responseBreaksAfterOldBytes_oldChunksDropped', async () => {
    const up = fakeUpstream({ size: SIZE });
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: 0 });
    expectBytes((await h.read(session, 'bytes=0-2999')).bytes, up.bytes(0, 2999));
    expect(h.proxy.cache.list()[0]?.storedChunks).toBe(3);

    up.changeFrom(up.requests.length, {});
    const broken = await h.readSome(session, 'bytes=0-');
    expect(broken.status).toBe(206);
    expect(broken.error).not.toBeNull();
    expectBytes(broken.bytes, up.bytes(0, 2999, 0)); // the stored old bytes, nothing newer
    await h.idle(session);
    expect(await h.storage.chunks.listChunks(h.key)).toEqual([]);

    const next = await h.read(session, 'bytes=0-');
    expect(next.status).toBe(206);
    expectBytes(next.bytes, up.bytes(0, LAST, 1));
  });

  it('changeFoundBeforeFirstByte_sameRequestServesNewContent', async () => {
    const up = fakeUpstream({ size: SIZE });
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: 0 });
    await h.read(session, 'bytes=0-999');
    up.changeFrom(up.requests.length, {});
    const got = await h.read(session, 'bytes=3000-3999');
    expect(got.status).toBe(206);
    expectBytes(got.bytes, up.bytes(3000, 3999, 1));
  });

  it('droppedPrefetchFinishingAfterChange_itsOldBytesNeverStoredOrServed', async () => {
    // Chunk 1 is a prefetch stalled more than half in; a seek drops it, and a dropped prefetch
    // that far in finishes on its own (droppedPrefetch.ts). The content changes meanwhile: its
    // old bytes arrive after the new content was described.
    const release = gate();
    const up = fakeUpstream({ size: SIZE, pieceBytes: 100 }).fault(
      { stallAfter: { bytes: 600, until: release.promise } },
      (r) => chunkOf(r) === 1 && up.requests.find((q) => chunkOf(q) === 1) === r,
    );
    const h = await open({ upstream: up });
    const session = await h.session({ concurrency: 3, prefetch: 2 });
    const first = await h.request(session, 'bytes=0-');
    await until(() => h.requestsFor(1).length === 1, 'chunk 1 requested');
    await h.requestsFor(1)[0]?.stalled;
    await first.body?.cancel(); // the element seeks away…

    up.changeFrom(up.requests.length, {});
    const seek = await h.read(session, 'bytes=7000-'); // …finds the change, serves the new
    expectBytes(seek.bytes, up.bytes(7000, LAST, 1));

    release.open(); // the old chunk 1 may now complete (or was aborted: either is fine)
    await until(() => h.requestsFor(1)[0]?.end !== null, 'old chunk 1 request ended');
    await settled(() => `${up.requests.length}/${up.inFlight()}`);
    await h.idle(session);
    const stored = await h.storage.chunks.getChunk(h.key, 1);
    if (stored) {
      expectBytes(new Uint8Array(await stored.arrayBuffer()), up.bytes(1000, 1999, 1));
    }
    expectBytes((await h.read(session, 'bytes=0-2999')).bytes, up.bytes(0, 2999, 1));
  });

  it('lateWriteOfOldVersion_refused_byCacheAndStore', async () => {
    const up = fakeUpstream({ size: SIZE });
    const h = await open({ upstream: up });
    const session = await h.session({ prefetch: 0 });
    await h.read(session, 'bytes=0-999');
    const oldVersion = h.proxy.cache.getMedia(h.key)?.version as number;
    up.changeFrom(up.requests.length, {});
    await h.read(session, 'bytes=3000-3999'); // finds the change, re-probes, serves the new bytes
    await h.idle(session);
    const newVersion = h.proxy.cache.getMedia(h.key)?.version as number;
    expect(newVersion).toBeGreaterThan(oldVersion);

    const late = new Blob([up.bytes(5000, 5999, 0) as Uint8Array<ArrayBuffer>]);
    expect(await h.proxy.cache.writeChunk(h.key, oldVersion, 5, late)).toBe('not-cached');
    await expect(h.storage.chunks.putChunk(h.key, oldVersion, 5, late)).rejects.toBeInstanceOf(
      StaleWriteError,
    );
    expect(await h.storage.chunks.getChunk(h.key, 5)).toBeUndefined();
    expect(h.proxy.cache.isStored(h.key, 5)).toBe(false);
    expectBytes((await h.read(session, 'bytes=5000-5999')).bytes, up.bytes(5000, 5999, 1));
  });
});

describe('StreamProxy: offline (a new proxy on the same database, upstream unreachable)', () => {
  const STORED: RangeCase[] = [
    [null, 200, 0, LAST],
    ['bytes=0-1', 206, 0, 1],
    ['bytes=999-1000', 206, 999, 1000],
    ['bytes=-700', 206, SIZE - 700, LAST],
    ['bytes=2500-6499', 206, 2500, 6499],
    ['bytes=9400-', 206, 9400, LAST],
  ];

  async function fullyStoredThenOffline() {
    const h = await open();
    const session = await h.session();
    expectBytes((await h.read(session, null)).bytes, h.upstream.bytes(0, LAST));
    await h.idle(session);
    const offline = fakeUpstream({ size: SIZE }).fault({ reject: 'unreachable' });
    const h2 = await h.restart(offline);
    return { h, h2, session, offline };
  }

  it('everyStoredRange_servedExactly', async () => {
    const { h, h2, session, offline } = await fullyStoredThenOffline();
    for (const c of STORED) {
      expectAnswer(await h2.read(session, c[0]), c, h.upstream.bytes(c[2], c[3]));
    }
    // Only the probe tried the network (and its no-cors retry): no chunk was asked for.
    expect(offline.requests.every((r) => r.end?.how === 'rejected')).toBe(true);
    expect(offline.requests.filter((r) => r.range !== 'bytes=0-0' && r.method === 'GET')).toEqual(
      [],
    );
  });

  it('missingChunk_504OfflineMissingJson_storedRangesStillExact', async () => {
    const { h, h2, session } = await fullyStoredThenOffline();
    // A chunk lost while the worker was stopped: the next open rebuilds the index without it.
    await h2.storage.chunks.deleteChunk(h.key, 7);
    const h3 = await h2.restart(fakeUpstream({ size: SIZE }).fault({ reject: 'unreachable' }));

    for (const [range, missing] of [
      ['bytes=7000-7999', { start: 7000, end: 7999 }],
      ['bytes=7200-', { start: 7200, end: LAST }],
      ['bytes=7999-8000', { start: 7999, end: 8000 }],
    ] as const) {
      const got = await h3.read(session, range);
      expect(got.status, range).toBe(504);
      expect(got.headers.get('Content-Type')).toBe('application/json');
      expect(JSON.parse(new TextDecoder().decode(got.bytes))).toMatchObject({
        error: 'offline-missing',
        missing,
      });
    }
    const clear: RangeCase[] = [
      ['bytes=0-1', 206, 0, 1],
      ['bytes=999-1000', 206, 999, 1000],
      ['bytes=2500-6499', 206, 2500, 6499],
      ['bytes=-700', 206, SIZE - 700, LAST],
      ['bytes=8000-', 206, 8000, LAST],
    ];
    for (const c of clear)
      expectAnswer(await h3.read(session, c[0]), c, h.upstream.bytes(c[2], c[3]));
  });

  it('rangeFromStoredIntoMissing_206ThenBreaksAfterExactStoredBytes', async () => {
    const { h, h2, session } = await fullyStoredThenOffline();
    await h2.storage.chunks.deleteChunk(h.key, 7);
    const h3 = await h2.restart(fakeUpstream({ size: SIZE }).fault({ reject: 'unreachable' }));
    const got = await h3.readSome(session, 'bytes=6500-7499');
    expect(got.status).toBe(206);
    expect(got.error).not.toBeNull();
    expectBytes(got.bytes, h.upstream.bytes(6500, 6999));
  });
});

describe('StreamProxy: closeSession', () => {
  it('runningDownloads_aborted_storedChunksKept', async () => {
    // Chunks 0-2 arrive; chunks from 3 on stall for good once they started.
    const up = fakeUpstream({ size: SIZE }).fault(
      { stallAfter: { bytes: 100, until: 'never' } },
      (r) => (chunkOf(r) ?? -1) >= 3,
    );
    const h = await open({ upstream: up });
    const session = await h.session();
    const response = await h.request(session, 'bytes=0-');
    await untilStoredAndStalled(h, session);

    await h.proxy.closeSession(session.id);

    const running = [3, 4, 5].map((i) => h.requestsFor(i)[0]);
    for (const r of running) expect(r).toMatchObject({ aborted: true, end: { how: 'aborted' } });
    expect(up.inFlight()).toBe(0);
    expect((await h.storage.chunks.listChunks(h.key)).map((c) => c.index).sort()).toEqual([
      0, 1, 2,
    ]);
    expect(h.proxy.cache.list()[0]).toMatchObject({ key: h.key, storedChunks: 3 });

    // The open response ends: what it sent is exact, and it stops where the session closed.
    const body = await readAll(response);
    expect(body.error).not.toBeNull();
    expectBytes(body.bytes, up.bytes(0, body.bytes.byteLength - 1));
    expect((await h.read(session, null)).status).toBe(404);

    // Another session on the same media reads the kept chunks without asking the upstream.
    const again = await h.session();
    const asked = up.requests.length;
    expectBytes((await h.read(again, 'bytes=0-2999')).bytes, up.bytes(0, 2999));
    expect(up.requests.slice(asked).map((r) => r.range)).toEqual(['bytes=0-0']); // probe only
  });

  it('anotherSessionStillReads_downloadsGoOn', async () => {
    const body = gate();
    const up = fakeUpstream({ size: SIZE }).fault(
      { stallAfter: { bytes: 100, until: body.promise } },
      (r) => chunkOf(r) === 1,
    );
    const h = await open({ upstream: up });
    const reading = await h.session({ prefetch: 2 });
    const leaving = await h.session();
    const response = h.request(reading, 'bytes=0-');
    await until(() => h.requestsFor(1).length === 1, 'chunk 1 requested');
    await h.requestsFor(1)[0]?.stalled;

    await h.proxy.closeSession(leaving.id);
    expect(h.requestsFor(1)[0]?.aborted).toBe(false);
    body.open();
    expectBytes((await readAll(await response)).bytes, up.bytes(0, LAST));
  });

  it('beforeAnyChunkDownload_earlyChunk0RequestAborted', async () => {
    // A HEAD opens the media: the early chunk-0 request (openMedia.ts) is sent with the probe
    // and nobody adopts it. Closing the session must not leave it running.
    const h = await open();
    const session = await h.session();
    await h.read(session, null, 'HEAD');
    const early = h.requestsFor(0)[0];
    expect(early).toMatchObject({ aborted: false, end: null });

    await h.proxy.closeSession(session.id);
    expect(early).toMatchObject({ aborted: true, end: { how: 'aborted' } });
    expect(h.upstream.inFlight()).toBe(0);
  });
});

describe('StreamProxy: cache.verify', () => {
  it('chunkDeletedBehindTheCache_verifyRepairs_chunkDownloadedAgain', async () => {
    const h = await open();
    const session = await h.session();
    await h.read(session, null);
    await h.idle(session);
    expect(await h.proxy.handleMessage({ type: 'cacheVerify' })).toEqual({
      media: 1,
      chunks: CHUNKS,
      repaired: [],
      orphanChunks: 0,
    });

    await h.storage.chunks.deleteChunk(h.key, 4);
    expect(await h.proxy.handleMessage({ type: 'cacheVerify' })).toEqual({
      media: 1,
      chunks: CHUNKS - 1,
      repaired: [h.key],
      orphanChunks: 0,
    });
    expect(h.proxy.cache.list()[0]).toMatchObject({
      storedChunks: CHUNKS - 1,
      storedBytes: SIZE - CHUNK,
      storedChunkRanges: [
        [0, 3],
        [5, CHUNKS - 1],
      ],
    });

    const asked = h.upstream.requests.length;
    expectBytes((await h.read(session, 'bytes=3500-4500')).bytes, h.upstream.bytes(3500, 4500));
    expect(h.upstream.requests.slice(asked).map((r) => r.range)).toEqual([chunkRange(4)]);
    await h.idle(session);
    expect(h.proxy.cache.list()[0]?.storedChunks).toBe(CHUNKS);
  });
});

async function untilStoredAndStalled(
  h: ProxyHarness,
  session: Awaited<ReturnType<ProxyHarness['session']>>,
): Promise<void> {
  await until(async () => {
    const { chunks } = await h.stats(session);
    return chunks.stored === 3 && h.upstream.inFlight() === 3;
  }, 'chunks 0-2 stored, 3-5 stalled');
  await Promise.all([3, 4, 5].map((i) => h.requestsFor(i)[0]?.stalled));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i]);
}
