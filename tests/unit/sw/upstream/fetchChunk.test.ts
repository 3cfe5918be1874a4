/**
 * `fetchChunk` against a scripted upstream: exact bytes or a `ChunkFetchError` with the right
 * failure, and what happened on the wire (the range asked, bodies released, aborts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { droppedPrefetch } from '../../../../src/sw/media/droppedPrefetch.ts';
import { ChunkFetchError } from '../../../../src/sw/upstream/ChunkFetchError.ts';
import { EarlyRange } from '../../../../src/sw/upstream/EarlyRange.ts';
import { fetchChunk } from '../../../../src/sw/upstream/fetchChunk.ts';
import type { UpstreamInfo } from '../../../../src/sw/upstream/UpstreamInfo.ts';
import { expectBytes } from '../support/expectBytes.ts';
import { type FakeUpstream, fakeUpstream } from '../support/fakeUpstream.ts';
import { gate } from '../support/gate.ts';
import { probed } from '../support/probed.ts';

/** Fetch bytes `[start, end]` of `up` with a fresh signal. */
function chunk(
  up: FakeUpstream,
  start: number,
  end: number,
  signal = new AbortController().signal,
) {
  return fetchChunk(up.upstream(), probed(up), start, end, signal);
}

/** Resolves with how `promise` stands right now, so a test can assert it is still pending. */
function state(promise: Promise<unknown>): Promise<'pending' | 'fulfilled' | 'rejected'> {
  const marker = Symbol('pending');
  return Promise.race([promise, Promise.resolve(marker)]).then(
    (v) => (v === marker ? 'pending' : 'fulfilled'),
    () => 'rejected',
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe('fetchChunk: valid answers', () => {
  it('answers206_exactBytesOfTheRange', async () => {
    const up = fakeUpstream({ size: 10_000 });
    expect(await chunk(up, 1000, 2999)).toEqual(up.bytes(1000, 2999));
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]).toMatchObject({
      method: 'GET',
      range: 'bytes=1000-2999',
      init: { cache: 'no-store', mode: 'cors', credentials: 'same-origin' },
      end: { how: 'complete' },
    });
  });

  it('lastChunk_exactBytesToTheEnd', async () => {
    const up = fakeUpstream({ size: 10_000 });
    expect(await chunk(up, 8192, 9999)).toEqual(up.bytes(8192, 9999));
  });

  it('sessionHeaders_sentWithTheRange', async () => {
    const up = fakeUpstream();
    const info = probed(up);
    await fetchChunk(up.upstream({ Authorization: 'Bearer t' }), info, 0, 99, signal());
    expect(up.requests[0]?.headers).toEqual({ authorization: 'Bearer t' });
  });

  it('corsHiddenHeadersLengthOnly_exactBytes', async () => {
    const up = fakeUpstream().fault({ hideHeaders: true });
    const info = probed(up, 'length-only');
    expect(await fetchChunk(up.upstream(), info, 0, 999, signal())).toEqual(up.bytes(0, 999));
  });

  it('progress_growsToTheLengthWithFinalBytes', async () => {
    const up = fakeUpstream({ size: 10_000, pieceBytes: 300 });
    const seen: { received: number; prefix: Uint8Array }[] = [];
    const onProgress = (received: number, buffer: Uint8Array) => {
      seen.push({ received, prefix: buffer.slice(0, received) });
    };
    await fetchChunk(up.upstream(), probed(up), 1000, 2999, signal(), { onProgress });
    const counts = seen.map((s) => s.received);
    expect(counts.length).toBeGreaterThan(1);
    for (let i = 1; i < counts.length; i++) {
      expect(counts[i]).toBeGreaterThan(counts[i - 1] as number);
    }
    expect(counts.at(-1)).toBe(2000);
    for (const s of seen) expect(s.prefix).toEqual(up.bytes(1000, 1000 + s.received - 1));
  });
});

/**
 * An upstream answering every range with a byte-stream body (as browsers' fetch bodies are) sent
 * in `piece`-byte enqueues, counting the reads that came with their own buffer (BYOB).
 */
function byteStreamUpstream(size: number, piece: number, extra = 0) {
  const all = Uint8Array.from({ length: size + extra }, (_, i) => (i * 7 + 3) & 0xff);
  const seen = { byobReads: 0, defaultReads: 0 };
  const upstream = {
    url: 'https://media.example/v.mp4',
    headers: {},
    fetch: async (_url: string, init?: RequestInit) => {
      const range = new Headers(init?.headers).get('Range') ?? '';
      const [, a, b] = /bytes=(\d+)-(\d+)/.exec(range) ?? [];
      const start = Number(a);
      const end = Number(b);
      let at = start;
      const last = end + extra;
      const body = new ReadableStream({
        type: 'bytes',
        pull(controller: ReadableByteStreamController) {
          if (controller.byobRequest) seen.byobReads++;
          else seen.defaultReads++;
          controller.enqueue(all.slice(at, Math.min(at + piece, last + 1)));
          at += piece;
          if (at > last) controller.close();
        },
      });
      return new Response(body, {
        status: 206,
        headers: {
          'Content-Range': `bytes ${start}-${end}/${size}`,
          'Content-Length': String(end - start + 1),
        },
      });
    },
  };
  const info: UpstreamInfo = {
    size,
    contentType: null,
    etag: null,
    lastModified: null,
    contentRangeVisible: true,
    validation: 'length-only',
  };
  return { upstream, info, all, seen };
}

describe('fetchChunk: byte-stream bodies (BYOB reads)', () => {
  it('pieces larger and smaller than the scratch buffer_exactBytes_everyReadBringsItsBuffer', async () => {
    for (const piece of [1000, 100 * 1024]) {
      const { upstream, info, all, seen } = byteStreamUpstream(300_000, piece);
      const progress: number[] = [];
      const bytes = await fetchChunk(upstream, info, 1234, 250_000, new AbortController().signal, {
        onProgress: (received) => progress.push(received),
      });
      expectBytes(bytes, all.slice(1234, 250_001));
      expect(seen.byobReads).toBeGreaterThan(0);
      expect(seen.defaultReads).toBe(0);
      expect(progress.at(-1)).toBe(250_000 - 1234 + 1);
    }
  });

  it('byteStreamLongerThanAsked_invalid_notTruncatedIntoPlace', async () => {
    const { upstream, info } = byteStreamUpstream(300_000, 4096, 10);
    const failure = await fetchChunk(upstream, info, 0, 99_999, new AbortController().signal).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ChunkFetchError);
    expect((failure as ChunkFetchError).failure).toBe('invalid');
  });

  it('partialBytesSeenByProgress_neverChangeAfterwards', async () => {
    const { upstream, info, all } = byteStreamUpstream(200_000, 5000);
    const views: Uint8Array[] = [];
    await fetchChunk(upstream, info, 0, 199_999, new AbortController().signal, {
      onProgress: (received, buffer) => views.push(buffer.subarray(received - 5000, received)),
    });
    // Every view handed out during the download still shows the bytes it showed then.
    for (const [i, v] of views.entries()) expectBytes(v, all.slice(i * 5000, (i + 1) * 5000));
  });
});

describe('fetchChunk: the upstream answers something else', () => {
  it('answers200_rangeIgnoredAndBodyReleased', async () => {
    const up = fakeUpstream().fault({ ignoreRange: true });
    await expect(chunk(up, 0, 999)).rejects.toMatchObject({ failure: 'range-ignored' });
    expect(up.requests[0]?.end?.how).toBe('cancelled');
  });

  it('contentShrankPastTheRange416_changed', async () => {
    const up = fakeUpstream({ size: 10_000 }).changeFrom(0, { size: 500 });
    const error = await chunk(up, 1000, 1999).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChunkFetchError);
    expect(error).toMatchObject({ failure: 'changed', status: 416, transient: false });
  });

  it('otherContentRange_invalid', async () => {
    const up = fakeUpstream().fault({ headers: { 'Content-Range': 'bytes 0-1999/10000' } });
    await expect(chunk(up, 1000, 2999)).rejects.toMatchObject({ failure: 'invalid' });
    expect(up.requests[0]?.end?.how).toBe('cancelled');
  });

  it('malformedContentRange_invalid', async () => {
    const up = fakeUpstream().fault({ headers: { 'Content-Range': 'bytes 1000-2999' } });
    await expect(chunk(up, 1000, 2999)).rejects.toMatchObject({ failure: 'invalid' });
  });

  it('noContentRangeWhereProbeSawIt_invalid', async () => {
    const up = fakeUpstream().fault({ headers: { 'Content-Range': null } });
    await expect(chunk(up, 0, 999)).rejects.toMatchObject({ failure: 'invalid' });
  });

  it('otherETag_changed', async () => {
    const up = fakeUpstream().changeFrom(0, { seed: 2 });
    await expect(chunk(up, 0, 999)).rejects.toMatchObject({ failure: 'changed' });
    expect(up.requests[0]?.end?.how).toBe('cancelled');
  });

  it('otherTotalSize_changed', async () => {
    const up = fakeUpstream({ size: 10_000 }).changeFrom(0, { size: 20_000, etag: '"same"' });
    const info = { ...probed(up), etag: '"same"' };
    const result = fetchChunk(up.upstream(), info, 0, 999, signal());
    await expect(result).rejects.toMatchObject({ failure: 'changed' });
  });

  it('corsHiddenETagButLastModifiedMoved_changed', async () => {
    const up = fakeUpstream().fault({ hideHeaders: true }).changeFrom(0, { seed: 2 });
    const result = fetchChunk(up.upstream(), probed(up, 'length-only'), 0, 999, signal());
    await expect(result).rejects.toMatchObject({ failure: 'changed' });
  });

  it('contentLengthOtherThanAsked_invalid', async () => {
    const up = fakeUpstream().fault({ headers: { 'Content-Length': '999' } });
    await expect(chunk(up, 0, 999)).rejects.toMatchObject({ failure: 'invalid' });
  });

  it('bodyLongerThanAsked_invalidAndBodyReleased', async () => {
    const up = fakeUpstream({ pieceBytes: 256 }).fault({ extraBytes: 10 });
    await expect(chunk(up, 0, 999)).rejects.toMatchObject({ failure: 'invalid' });
    expect(up.requests[0]?.end?.how).toBe('cancelled');
  });

  it('bodyEndsShort_truncatedTransient', async () => {
    const up = fakeUpstream().fault({ endAfter: 400 });
    const error = await chunk(up, 0, 999).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'truncated', transient: true });
  });

  it('bodyBreaks_truncatedTransient', async () => {
    const up = fakeUpstream().fault({ errorAfter: 400 });
    const error = await chunk(up, 0, 999).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'truncated', transient: true });
  });

  it.each([
    [503, true],
    [500, true],
    [404, false],
    [403, false],
    [401, false],
  ] as const)('status %i_statusTransient %s', async (status, transient) => {
    const up = fakeUpstream().fault({ status });
    const error = await chunk(up, 0, 999).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'status', status, transient });
    expect(up.requests[0]?.end?.how).toBe('cancelled');
  });

  it('captivePortal_rangeIgnored', async () => {
    const up = fakeUpstream().fault({ captivePortal: true });
    await expect(chunk(up, 0, 999)).rejects.toMatchObject({ failure: 'range-ignored' });
  });

  it('unreachable_networkTransient', async () => {
    const up = fakeUpstream().fault({ reject: 'unreachable' });
    const error = await chunk(up, 0, 999).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'network', transient: true });
    expect(up.requests).toHaveLength(1);
  });
});

describe('fetchChunk: aborts', () => {
  it('signalAbortedBefore_abortedWithoutRequest', async () => {
    const up = fakeUpstream();
    const controller = new AbortController();
    controller.abort();
    await expect(chunk(up, 0, 999, controller.signal)).rejects.toMatchObject({
      failure: 'aborted',
    });
    expect(up.requests).toHaveLength(0);
  });

  it('abortWhileHeadersPending_abortedOnTheWire', async () => {
    const up = fakeUpstream().fault({ holdHeaders: 'never' });
    const controller = new AbortController();
    const result = chunk(up, 0, 999, controller.signal);
    await up.request(0);
    controller.abort();
    await expect(result).rejects.toMatchObject({ failure: 'aborted' });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('abortMidBody_abortedOnTheWire', async () => {
    const up = fakeUpstream({ pieceBytes: 100 }).fault({
      stallAfter: { bytes: 300, until: 'never' },
    });
    const controller = new AbortController();
    const result = chunk(up, 0, 999, controller.signal);
    await (await up.request(0)).stalled;
    controller.abort();
    await expect(result).rejects.toMatchObject({ failure: 'aborted' });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('droppedPrefetchMoreThanHalfIn_finishedAndKept', async () => {
    const g = gate();
    const up = fakeUpstream({ pieceBytes: 100 }).fault({
      stallAfter: { bytes: 600, until: g.promise },
    });
    const controller = new AbortController();
    const result = chunk(up, 0, 999, controller.signal);
    await (await up.request(0)).stalled;
    controller.abort(droppedPrefetch());
    g.open();
    expect(await result).toEqual(up.bytes(0, 999));
    expect(up.requests[0]).toMatchObject({ aborted: false, end: { how: 'complete' } });
  });

  it('droppedPrefetchLessThanHalfIn_abortedOnTheWire', async () => {
    const g = gate();
    const up = fakeUpstream({ pieceBytes: 100 }).fault({
      stallAfter: { bytes: 400, until: g.promise },
    });
    const controller = new AbortController();
    const result = chunk(up, 0, 999, controller.signal);
    await (await up.request(0)).stalled;
    controller.abort(droppedPrefetch());
    await expect(result).rejects.toMatchObject({ failure: 'aborted' });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('droppedPrefetchFinishingOnItsOwn_stopSignal_abortsTheWire', async () => {
    // The media closed (or its content changed) while a dropped prefetch was finishing: its
    // scheduler signal is spent, so only the stop signal can end it.
    const up = fakeUpstream({ pieceBytes: 100 }).fault({
      stallAfter: { bytes: 600, until: 'never' },
    });
    const controller = new AbortController();
    const stop = new AbortController();
    const info = probed(up);
    const result = fetchChunk(up.upstream(), info, 0, 999, controller.signal, {
      stop: stop.signal,
    });
    await (await up.request(0)).stalled;
    controller.abort(droppedPrefetch());
    stop.abort(new DOMException('content changed', 'AbortError'));
    await expect(result).rejects.toMatchObject({ failure: 'aborted' });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('hardAbortMoreThanHalfIn_abortedOnTheWire', async () => {
    const up = fakeUpstream({ pieceBytes: 100 }).fault({
      stallAfter: { bytes: 900, until: 'never' },
    });
    const controller = new AbortController();
    const result = chunk(up, 0, 999, controller.signal);
    await (await up.request(0)).stalled;
    controller.abort(new DOMException('reader gone', 'AbortError'));
    await expect(result).rejects.toMatchObject({ failure: 'aborted' });
    expect(up.requests[0]?.aborted).toBe(true);
  });
});

describe('fetchChunk: a stalled body', () => {
  it('stallThenBytesAgain_exactBytes', async () => {
    const g = gate();
    const up = fakeUpstream().fault({ stallAfter: { bytes: 500, until: g.promise } });
    const result = chunk(up, 0, 999);
    await (await up.request(0)).stalled;
    g.open();
    expect(await result).toEqual(up.bytes(0, 999));
  });

  it('noBytesFor20s_timeoutTransientAndAbortedOnTheWire', async () => {
    vi.useFakeTimers();
    const up = fakeUpstream({ pieceBytes: 100 }).fault({
      stallAfter: { bytes: 700, until: 'never' },
    });
    const result = chunk(up, 0, 999);
    result.catch(() => undefined); // asserted below, after the clock moves
    await (await up.request(0)).stalled;
    expect(await state(result)).toBe('pending');

    await vi.advanceTimersByTimeAsync(20_000);
    const error = await result.catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'timeout', transient: true });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });
});

describe('fetchChunk: an early range', () => {
  it('adoptedEarlyRange_exactBytesWithoutASecondRequest', async () => {
    const up = fakeUpstream();
    const early = new EarlyRange(up.upstream(), 0, 999).adopt();
    const info = probed(up);
    const bytes = await fetchChunk(up.upstream(), info, 0, 999, signal(), { early });
    expect(bytes).toEqual(up.bytes(0, 999));
    expect(up.requests).toHaveLength(1);
  });

  it('earlyRangeOfChangedContent_changed', async () => {
    const up = fakeUpstream().changeFrom(0, { seed: 2 });
    const early = new EarlyRange(up.upstream(), 0, 999).adopt();
    const info = probed(up);
    const result = fetchChunk(up.upstream(), info, 0, 999, signal(), { early });
    await expect(result).rejects.toMatchObject({ failure: 'changed' });
    expect(up.requests[0]?.end?.how).toBe('cancelled');
  });

  it('abortWithEarlyRange_abortsTheEarlyRequest', async () => {
    const up = fakeUpstream().fault({ holdHeaders: 'never' });
    const early = new EarlyRange(up.upstream(), 0, 999).adopt();
    const controller = new AbortController();
    const info = probed(up);
    const result = fetchChunk(up.upstream(), info, 0, 999, controller.signal, { early });
    controller.abort();
    await expect(result).rejects.toMatchObject({ failure: 'aborted' });
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]?.aborted).toBe(true);
  });
});

function signal(): AbortSignal {
  return new AbortController().signal;
}
