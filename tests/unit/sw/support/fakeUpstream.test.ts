/**
 * The fake upstream itself: the upstream tests are only as good as its RFC 9110 answers and its
 * records, so they are checked here against the RFC, not against our own range code.
 */
import { describe, expect, it } from 'vitest';
import { fakeUpstream } from './fakeUpstream.ts';
import { gate } from './gate.ts';
import { resolveFakeRange } from './resolveFakeRange.ts';
import { syntheticBytes } from './syntheticBytes.ts';

const get = (range?: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: range ? { Range: range } : {},
});
const bytesOf = async (r: Response) => new Uint8Array(await r.arrayBuffer());

describe('resolveFakeRange (RFC 9110 §14.1.2)', () => {
  it.each<[string, number, ReturnType<typeof resolveFakeRange>]>([
    ['bytes=0-0', 100, { start: 0, end: 0 }],
    ['bytes=10-19', 100, { start: 10, end: 19 }],
    ['bytes=90-200', 100, { start: 90, end: 99 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-200', 100, { start: 0, end: 99 }],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=0-0', 0, 'unsatisfiable'],
    ['bytes=5-4', 100, 'ignore'],
    ['bytes=0-1,5-6', 100, 'ignore'],
    ['items=0-1', 100, 'ignore'],
    ['bytes=-', 100, 'ignore'],
  ])('%s of %i_%j', (header, size, expected) => {
    expect(resolveFakeRange(header, size)).toEqual(expected);
  });
});

describe('syntheticBytes', () => {
  it('sameSeedAndPosition_sameBytes', () => {
    expect(syntheticBytes(3, 100, 200)).toEqual(syntheticBytes(3, 0, 300).subarray(100, 200));
  });
  it('otherSeed_otherBytes', () => {
    expect(syntheticBytes(3, 0, 64)).not.toEqual(syntheticBytes(4, 0, 64));
  });
});

describe('fakeUpstream: answers', () => {
  it('range_206WithContentRangeAndLength', async () => {
    const up = fakeUpstream({ size: 1000 });
    const r = await up.fetch(up.url, get('bytes=10-19'));
    expect(r.status).toBe(206);
    expect(r.headers.get('Content-Range')).toBe('bytes 10-19/1000');
    expect(r.headers.get('Content-Length')).toBe('10');
    expect(r.headers.get('ETag')).toBe(up.content().etag);
    expect(await bytesOf(r)).toEqual(up.bytes(10, 19));
    expect(up.requests[0]?.end?.how).toBe('complete');
  });
  it('unsatisfiableRange_416WithStarSize', async () => {
    const up = fakeUpstream({ size: 1000 });
    const r = await up.fetch(up.url, get('bytes=1000-'));
    expect(r.status).toBe(416);
    expect(r.headers.get('Content-Range')).toBe('bytes */1000');
  });
  it('noRange_200WholeBody', async () => {
    const up = fakeUpstream({ size: 1000 });
    const r = await up.fetch(up.url, get());
    expect(r.status).toBe(200);
    expect(r.headers.get('Content-Length')).toBe('1000');
    expect(await bytesOf(r)).toEqual(up.bytes(0, 999));
  });
  it('head_200LengthNoBody', async () => {
    const up = fakeUpstream({ size: 1000 });
    const r = await up.fetch(up.url, { method: 'HEAD', headers: { Range: 'bytes=0-0' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('Content-Length')).toBe('1000');
    expect(r.body).toBeNull();
  });
  it('hideHeaders_onlySafelistedReadable', async () => {
    const up = fakeUpstream().fault({ hideHeaders: true });
    const r = await up.fetch(up.url, get('bytes=0-0'));
    expect(r.status).toBe(206);
    expect(r.headers.get('Content-Range')).toBeNull();
    expect(r.headers.get('ETag')).toBeNull();
    expect(r.headers.get('Last-Modified')).toBe(up.content().lastModified);
    expect(r.headers.get('Content-Length')).toBe('1');
  });
  it('changeFrom_laterRequestsGetNewContent', async () => {
    const up = fakeUpstream({ size: 1000 }).changeFrom(1, { size: 500 });
    await up.fetch(up.url, get('bytes=0-0'));
    const r = await up.fetch(up.url, get('bytes=0-0'));
    expect(r.headers.get('Content-Range')).toBe('bytes 0-0/500');
    expect(r.headers.get('ETag')).not.toBe(up.content(0).etag);
    expect(await bytesOf(r)).toEqual(up.bytes(0, 0, 1));
    expect(up.requests.map((q) => q.version)).toEqual([0, 1]);
  });
  it('redirectedTo_responseSaysRedirected', async () => {
    const up = fakeUpstream().fault({ redirectedTo: 'https://cdn.test/m.mp4' });
    const r = await up.fetch(up.url, get());
    expect(r.redirected).toBe(true);
    expect(r.url).toBe('https://cdn.test/m.mp4');
  });
  it('corsBlocked_corsRejectsNoCorsOpaque', async () => {
    const up = fakeUpstream().fault({ reject: 'cors' });
    await expect(up.fetch(up.url, { mode: 'cors' })).rejects.toThrow(TypeError);
    expect((await up.fetch(up.url, { mode: 'no-cors' })).type).toBe('opaque');
  });
});

describe('fakeUpstream: faults and records', () => {
  it('stallAfter_holdsBodyUntilGateOpens', async () => {
    const g = gate();
    const up = fakeUpstream({ size: 1000, pieceBytes: 100 }).fault({
      stallAfter: { bytes: 250, until: g.promise },
    });
    const r = await up.fetch(up.url, get());
    const body = bytesOf(r);
    const request = await up.request(0);
    await request.stalled;
    expect(request.sent).toBe(250);
    expect(up.inFlight()).toBe(1);
    g.open();
    expect(await body).toEqual(up.bytes(0, 999));
    expect(request.end?.how).toBe('complete');
  });
  it('abortDuringHeldHeaders_rejectsWithReasonAndRecordsAbort', async () => {
    const up = fakeUpstream().fault({ holdHeaders: 'never' });
    const controller = new AbortController();
    const response = up.fetch(up.url, { signal: controller.signal });
    controller.abort();
    await expect(response).rejects.toMatchObject({ name: 'AbortError' });
    expect(up.requests[0]).toMatchObject({ aborted: true, end: { how: 'aborted' } });
  });
  it('abortMidBody_bodyErrors', async () => {
    const up = fakeUpstream({ pieceBytes: 100 }).fault({
      stallAfter: { bytes: 100, until: 'never' },
    });
    const controller = new AbortController();
    const r = await up.fetch(up.url, { signal: controller.signal });
    const body = bytesOf(r);
    await up.requests[0]?.stalled;
    controller.abort();
    await expect(body).rejects.toMatchObject({ name: 'AbortError' });
    expect(up.requests[0]?.end?.how).toBe('aborted');
  });
  it('errorAfter_bodyErrorsAfterThoseBytes', async () => {
    const up = fakeUpstream().fault({ errorAfter: 300 });
    const r = await up.fetch(up.url, get());
    await expect(bytesOf(r)).rejects.toThrow(TypeError);
    expect(up.requests[0]).toMatchObject({ sent: 300, end: { how: 'errored' } });
  });
  it('faultByIndex_appliesToThatRequestOnly', async () => {
    const up = fakeUpstream().fault({ status: 503 }, 1);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const r = await up.fetch(up.url, get('bytes=0-0'));
      await r.body?.cancel();
      statuses.push(r.status);
    }
    expect(statuses).toEqual([206, 503, 206]);
  });
  it('cancelledBody_recordedCancelledAndNotInFlight', async () => {
    const up = fakeUpstream();
    const a = await up.fetch(up.url, get());
    await up.fetch(up.url, get());
    expect(up.maxInFlight).toBe(2);
    await a.body?.cancel();
    expect(up.requests[0]?.end?.how).toBe('cancelled');
    expect(up.inFlight()).toBe(1);
  });
});
