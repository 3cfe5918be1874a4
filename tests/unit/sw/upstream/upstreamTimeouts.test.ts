/**
 * Every upstream request has a header deadline and a body stall deadline (`Upstream.timeouts`,
 * default 15 s and 20 s): the probe, a chunk, the early chunk-0 request, a direct body read.
 * On vitest's fake clock against a scripted upstream that holds its headers or stalls its body:
 * the outcome (which error, the request aborted on the wire), never how long anything took.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProxyError } from '../../../../src/sw/errors/ProxyError.ts';
import { errorResponse } from '../../../../src/sw/http/errorResponse.ts';
import { EarlyRange } from '../../../../src/sw/upstream/EarlyRange.ts';
import { fetchChunk } from '../../../../src/sw/upstream/fetchChunk.ts';
import { openUpstreamBody } from '../../../../src/sw/upstream/openUpstreamBody.ts';
import { probeUpstream } from '../../../../src/sw/upstream/probeUpstream.ts';
import type { Upstream } from '../../../../src/sw/upstream/UpstreamInfo.ts';
import { type FakeUpstream, fakeUpstream } from '../support/fakeUpstream.ts';
import { probed } from '../support/probed.ts';

const HEADERS_NEVER = { holdHeaders: 'never' } as const;
const STALL_AT_300 = { stallAfter: { bytes: 300, until: 'never' } } as const;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Resolves with how `promise` stands right now, so a test can assert it settled. */
function state(promise: Promise<unknown>): Promise<'pending' | 'fulfilled' | 'rejected'> {
  const marker = Symbol('pending');
  return Promise.race([promise, Promise.resolve(marker)]).then(
    (v) => (v === marker ? 'pending' : 'fulfilled'),
    () => 'rejected',
  );
}

/** `promise`'s rejection, once the clock moved `ms`; fails the test if it is still pending. */
async function rejectionAfter(promise: Promise<unknown>, ms: number): Promise<unknown> {
  promise.catch(() => undefined); // asserted below, after the clock moves
  await vi.advanceTimersByTimeAsync(ms);
  expect(await state(promise)).toBe('rejected');
  return promise.catch((e: unknown) => e);
}

function withTimeouts(up: FakeUpstream, headerTimeoutMs: number, stallTimeoutMs: number) {
  const upstream: Upstream = { ...up.upstream(), timeouts: { headerTimeoutMs, stallTimeoutMs } };
  return upstream;
}

const signal = () => new AbortController().signal;

describe('upstream timeouts: response headers that never come', () => {
  it('probe_headersPast15s_upstreamTimeout504_abortedWithoutNoCorsRetry', async () => {
    const up = fakeUpstream().fault(HEADERS_NEVER);
    const probe = probeUpstream(up.upstream());
    await up.request(0);
    const error = await rejectionAfter(probe, 15_000);
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ code: 'upstream-timeout', httpStatus: 504 });
    expect(errorResponse(error).status).toBe(504);
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('probe_headersBefore15s_notTimedOut', async () => {
    const up = fakeUpstream();
    const probe = probeUpstream(up.upstream());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await probe).toMatchObject({ mode: 'parallel' });
    expect(up.requests[0]?.aborted).toBe(false);
  });

  it('probe_upstreamHeaderTimeout_isTheOneHonoured', async () => {
    const up = fakeUpstream().fault(HEADERS_NEVER);
    const probe = probeUpstream(withTimeouts(up, 1000, 2000));
    await up.request(0);
    const error = await rejectionAfter(probe, 1000);
    expect(error).toMatchObject({ code: 'upstream-timeout' });
  });

  it('chunk_headersPast15s_timeoutTransient_abortedOnTheWire', async () => {
    const up = fakeUpstream().fault(HEADERS_NEVER);
    const result = fetchChunk(up.upstream(), probed(up), 0, 999, signal());
    await up.request(0);
    const error = await rejectionAfter(result, 15_000);
    expect(error).toMatchObject({ failure: 'timeout', transient: true });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('earlyRange_adoptedHeadersPast15s_rejectsTimeout_abortedOnTheWire', async () => {
    const up = fakeUpstream().fault(HEADERS_NEVER);
    const early = new EarlyRange(up.upstream(), 0, 999).adopt();
    await up.request(0);
    const error = await rejectionAfter(early.response, 15_000);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('earlyRangeAdoptedByFetchChunk_headersPast15s_timeoutTransient', async () => {
    const up = fakeUpstream().fault(HEADERS_NEVER);
    const early = new EarlyRange(up.upstream(), 0, 999).adopt();
    const result = fetchChunk(up.upstream(), probed(up), 0, 999, signal(), { early });
    await up.request(0);
    const error = await rejectionAfter(result, 15_000);
    expect(error).toMatchObject({ failure: 'timeout', transient: true });
    expect(up.requests).toHaveLength(1);
  });

  it('directRead_headersPast15s_upstreamTimeout_abortedOnTheWire', async () => {
    const up = fakeUpstream().fault(HEADERS_NEVER);
    const opening = openUpstreamBody(up.upstream(), { start: 0, end: 999 }, signal());
    await up.request(0);
    const error = await rejectionAfter(opening, 15_000);
    expect(error).toMatchObject({ code: 'upstream-timeout', httpStatus: 504 });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('directRead_callerAbortsWhileHeadersPending_rejectsWithTheCallersReason', async () => {
    const up = fakeUpstream().fault(HEADERS_NEVER);
    const controller = new AbortController();
    const reason = new DOMException('reader gone', 'AbortError');
    const opening = openUpstreamBody(up.upstream(), { start: 0, end: 999 }, controller.signal);
    await up.request(0);
    controller.abort(reason);
    await expect(opening).rejects.toBe(reason);
  });
});

describe('upstream timeouts: a body that stops sending', () => {
  it('chunk_noBytesFor20s_timeoutTransient_abortedOnTheWire', async () => {
    const up = fakeUpstream({ pieceBytes: 100 }).fault(STALL_AT_300);
    const result = fetchChunk(up.upstream(), probed(up), 0, 999, signal());
    await (await up.request(0)).stalled;
    const error = await rejectionAfter(result, 20_000);
    expect(error).toMatchObject({ failure: 'timeout', transient: true });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('chunk_upstreamStallTimeout_isTheOneHonoured', async () => {
    const up = fakeUpstream({ pieceBytes: 100 }).fault(STALL_AT_300);
    const result = fetchChunk(withTimeouts(up, 1000, 2000), probed(up), 0, 999, signal());
    await (await up.request(0)).stalled;
    expect(await rejectionAfter(result, 2000)).toMatchObject({ failure: 'timeout' });
  });

  it('directRead_noBytesFor20s_bodyErrorsUpstreamTimeout_abortedOnTheWire', async () => {
    const up = fakeUpstream({ pieceBytes: 100 }).fault(STALL_AT_300);
    const opened = await openUpstreamBody(up.upstream(), { start: 0, end: 999 }, signal());
    const reading = new Response(opened.body).arrayBuffer();
    await (await up.request(0)).stalled;
    const error = await rejectionAfter(reading, 20_000);
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ code: 'upstream-timeout' });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('directReadWholeBody_noBytesFor20s_bodyErrorsUpstreamTimeout', async () => {
    const up = fakeUpstream({ pieceBytes: 100 }).fault(STALL_AT_300);
    const opened = await openUpstreamBody(up.upstream(), null, signal());
    const reading = new Response(opened.body).arrayBuffer();
    await (await up.request(0)).stalled;
    expect(await rejectionAfter(reading, 20_000)).toMatchObject({ code: 'upstream-timeout' });
  });

  it('directRead_nobodyReading_noStallTimeout', async () => {
    // Back-pressure is not a stall: a body nobody reads (a paused player) is not timed out.
    const up = fakeUpstream({ pieceBytes: 100 });
    const opened = await openUpstreamBody(up.upstream(), { start: 0, end: 999 }, signal());
    const reader = opened.body.getReader();
    let received = (await reader.read()).value?.byteLength ?? 0;
    await vi.advanceTimersByTimeAsync(120_000);
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      received += next.value.byteLength;
    }
    expect(received).toBe(1000);
    expect(up.requests[0]?.aborted).toBe(false);
  });
});
