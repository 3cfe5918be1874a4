/**
 * `fetchChunkNative` against a scripted upstream: the same checks of status and headers as
 * `fetchChunk`, then a Blob of exactly the chunk's bytes, or a `ChunkFetchError` naming what went
 * wrong with the body (short, broken, long, late, aborted). A body read natively shows no
 * progress, so its deadline bounds the whole body (vitest's fake clock; outcomes only).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { droppedPrefetch } from '../../../../src/sw/media/droppedPrefetch.ts';
import { ChunkFetchError } from '../../../../src/sw/upstream/ChunkFetchError.ts';
import {
  DROPPED_NATIVE_GRACE_MS,
  fetchChunkNative,
} from '../../../../src/sw/upstream/fetchChunk.ts';
import type { Upstream } from '../../../../src/sw/upstream/UpstreamInfo.ts';
import { expectBytes } from '../support/expectBytes.ts';
import { type FakeUpstream, type Fault, fakeUpstream } from '../support/fakeUpstream.ts';
import { gate } from '../support/gate.ts';
import { probed } from '../support/probed.ts';
import { rejectionOf } from '../support/rejectionOf.ts';

afterEach(() => {
  vi.useRealTimers();
});

function withStall(up: FakeUpstream, stallTimeoutMs: number): Upstream {
  return { ...up.upstream(), timeouts: { headerTimeoutMs: 15_000, stallTimeoutMs } };
}

/** What `promise` rejected with, asserted to be a `ChunkFetchError`. */
function failureOf(promise: Promise<unknown>): Promise<ChunkFetchError> {
  return rejectionOf(promise, ChunkFetchError);
}

/**
 * A native read of bytes 0-999 whose body stalls at 300 bytes for good, once it stalled: the
 * upstream, the read's abort controller, and its result (to assert; a rejection is not lost).
 */
async function stalledNativeRead(stallTimeoutMs = 20_000) {
  const up = fakeUpstream({ size: 10_000, pieceBytes: 100 }).fault({
    stallAfter: { bytes: 300, until: 'never' },
  });
  const abort = new AbortController();
  const result = fetchChunkNative(withStall(up, stallTimeoutMs), probed(up), 0, 999, abort.signal);
  result.catch(() => undefined); // asserted by the caller
  await (await up.request(0)).stalled;
  return { up, abort, result };
}

describe('fetchChunkNative: valid answers', () => {
  it('answers206_blobOfExactlyTheRangeBytes', async () => {
    const up = fakeUpstream({ size: 10_000 });
    vi.useFakeTimers();
    const blob = await fetchChunkNative(up.upstream(), probed(up), 1000, 2999, AbortSignal.any([]));
    expect(vi.getTimerCount()).toBe(0); // the deadline went with the read
    expect(blob).toBeInstanceOf(Blob);
    expect((blob as Blob).size).toBe(2000);
    expectBytes(new Uint8Array(await (blob as Blob).arrayBuffer()), up.bytes(1000, 2999));
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]).toMatchObject({ range: 'bytes=1000-2999', end: { how: 'complete' } });
  });

  it('noContentLength_readThroughJavaScript_exactBytes', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault({ headers: { 'Content-Length': null } });
    const got = await fetchChunkNative(up.upstream(), probed(up), 1000, 2999, AbortSignal.any([]));
    expect(got).toBeInstanceOf(Uint8Array);
    expectBytes(got as Uint8Array, up.bytes(1000, 2999));
  });

  it('droppedPrefetch_nativeBodyNotCompleteWithinTheGrace_aborted', async () => {
    vi.useFakeTimers();
    const { up, abort, result } = await stalledNativeRead();
    abort.abort(droppedPrefetch());
    expect(up.requests[0]?.aborted).toBe(false); // given its grace first
    await vi.advanceTimersByTimeAsync(DROPPED_NATIVE_GRACE_MS);
    expect((await failureOf(result)).failure).toBe('aborted');
    expect(up.requests[0]).toMatchObject({ aborted: true });
  });

  it('droppedPrefetch_stillWaitingForHeaders_abortedAtOnce', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault({ holdHeaders: 'never' });
    const abort = new AbortController();
    const result = fetchChunkNative(up.upstream(), probed(up), 0, 999, abort.signal);
    await up.request(0);
    abort.abort(droppedPrefetch());
    expect((await failureOf(result)).failure).toBe('aborted');
    expect(up.requests[0]).toMatchObject({ aborted: true });
  });

  it('droppedPrefetch_midBody_finishedNotAborted', async () => {
    const up = fakeUpstream({ size: 10_000, pieceBytes: 100 });
    const release = gate();
    up.fault({ stallAfter: { bytes: 300, until: release.promise } });
    const abort = new AbortController();
    const result = fetchChunkNative(up.upstream(), probed(up), 0, 999, abort.signal);
    await (await up.request(0)).stalled;
    abort.abort(droppedPrefetch()); // 300 of 1000 bytes in: the bytes path would abort it
    release.open();
    const blob = (await result) as Blob;
    expectBytes(new Uint8Array(await blob.arrayBuffer()), up.bytes(0, 999));
    expect(up.requests[0]).toMatchObject({ aborted: false, end: { how: 'complete' } });
  });
});

describe('fetchChunkNative: the same header checks as fetchChunk', () => {
  it.each<[string, Fault, ChunkFetchError['failure']]>([
    ['rangeIgnored', { ignoreRange: true }, 'range-ignored'],
    ['status503', { status: 503 }, 'status'],
    ['etagChanged', { headers: { ETag: '"other"' } }, 'changed'],
    ['contentRangeElsewhere', { headers: { 'Content-Range': 'bytes 0-1999/10000' } }, 'invalid'],
  ])('%s_failsAs_%s_bodyReleased', async (_name, fault, failure) => {
    const up = fakeUpstream({ size: 10_000 }).fault(fault);
    const error = await failureOf(
      fetchChunkNative(up.upstream(), probed(up), 1000, 2999, AbortSignal.any([])),
    );
    expect(error.failure).toBe(failure);
    await up.requests[0]?.ended;
    expect(up.requests[0]?.end?.how).not.toBe('complete');
  });
});

describe('fetchChunkNative: bodies that are not the chunk', () => {
  it.each<[string, Fault, ChunkFetchError['failure'], boolean]>([
    ['endsAfter500Bytes', { endAfter: 500 }, 'truncated', true],
    ['breaksAfter300Bytes', { errorAfter: 300 }, 'truncated', true],
    // Without Content-Length it is read through JavaScript, which stops at the first extra byte.
    ['runs10BytesLongWithoutContentLength', { extraBytes: 10 }, 'invalid', false],
  ])('%s_failsAs_%s', async (_name, fault, failure, transient) => {
    const up = fakeUpstream({ size: 10_000 }).fault(fault);
    const error = await failureOf(
      fetchChunkNative(up.upstream(), probed(up), 1000, 2999, AbortSignal.any([])),
    );
    expect(error.failure).toBe(failure);
    expect(error.transient).toBe(transient);
  });

  it('bodyNotCompleteWithinTheStallTimeout_timeoutTransient_abortedOnTheWire', async () => {
    vi.useFakeTimers();
    const { up, result } = await stalledNativeRead(2000);
    await vi.advanceTimersByTimeAsync(2000);
    const error = await failureOf(result);
    expect(error).toMatchObject({ failure: 'timeout', transient: true });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('signalAborted_midBody_abortedNotRetried', async () => {
    const { up, abort, result } = await stalledNativeRead();
    abort.abort(new DOMException('reader left', 'AbortError'));
    const error = await failureOf(result);
    expect(error).toMatchObject({ failure: 'aborted', transient: false });
    expect(up.requests[0]).toMatchObject({ aborted: true });
  });
});
