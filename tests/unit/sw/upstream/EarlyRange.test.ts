/**
 * `EarlyRange` against a scripted upstream, on vitest's fake clock: a request nobody adopts is
 * aborted on the wire; an adopted one is left alone whatever the clock says.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EarlyRange } from '../../../../src/sw/upstream/EarlyRange.ts';
import { fakeUpstream } from '../support/fakeUpstream.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('EarlyRange', () => {
  it('created_sendsTheRangeWithSessionHeaders', async () => {
    const up = fakeUpstream();
    const early = new EarlyRange(up.upstream({ Authorization: 'Bearer t' }), 0, 999);
    expect(await up.request(0)).toMatchObject({
      method: 'GET',
      range: 'bytes=0-999',
      headers: { authorization: 'Bearer t' },
      init: { cache: 'no-store', mode: 'cors', credentials: 'same-origin' },
    });
    early.abort(new DOMException('done', 'AbortError'));
  });

  it('neverAdoptedHeadersPending_abortedAndResponseRejects', async () => {
    const up = fakeUpstream().fault({ holdHeaders: 'never' });
    const early = new EarlyRange(up.upstream(), 0, 999, 5000);
    const request = await up.request(0);
    expect(request.aborted).toBe(false);

    await vi.advanceTimersByTimeAsync(5000);
    expect(request).toMatchObject({ aborted: true, end: { how: 'aborted' } });
    await expect(early.response).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('neverAdoptedHeadersIn_bodyAbortedOnTheWire', async () => {
    const up = fakeUpstream();
    const early = new EarlyRange(up.upstream(), 0, 999, 5000);
    const response = await early.response;
    expect(response.status).toBe(206);

    await vi.advanceTimersByTimeAsync(5000);
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
    expect(up.inFlight()).toBe(0);
  });

  it('adopted_notAbortedByTheClock', async () => {
    const up = fakeUpstream();
    const early = new EarlyRange(up.upstream(), 0, 999, 5000).adopt();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(up.requests[0]?.aborted).toBe(false);
    const response = await early.response;
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(up.bytes(0, 999));
    expect(up.requests[0]?.end?.how).toBe('complete');
  });

  it('adoptedThenAborted_abortedOnTheWire', async () => {
    const up = fakeUpstream().fault({ holdHeaders: 'never' });
    const early = new EarlyRange(up.upstream(), 0, 999, 5000).adopt();
    const reason = new DOMException('reader gone', 'AbortError');
    early.abort(reason);
    await expect(early.response).rejects.toBe(reason);
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });

  it('unreachable_responseRejectsWithoutUnhandledRejection', async () => {
    const up = fakeUpstream().fault({ reject: 'unreachable' });
    const early = new EarlyRange(up.upstream(), 0, 999, 5000);
    await vi.advanceTimersByTimeAsync(5000);
    // Nobody adopted it, yet the rejection is reported to no one and crashes nothing.
    await expect(early.response).rejects.toThrow(TypeError);
    expect(up.requests).toHaveLength(1);
  });
});
