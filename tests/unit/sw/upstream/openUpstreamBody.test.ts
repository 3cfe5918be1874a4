/**
 * `openUpstreamBody` against a scripted upstream: the single-mode and fallback path streams
 * exactly the bytes asked for, whether the upstream honours the range or not, and rejects with
 * the `ProxyError` the edge turns into a response.
 */
import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../../src/sw/errors/ProxyError.ts';
import { openUpstreamBody } from '../../../../src/sw/upstream/openUpstreamBody.ts';
import { fakeUpstream } from '../support/fakeUpstream.ts';

const read = async (body: ReadableStream<Uint8Array>) =>
  new Uint8Array(await new Response(body).arrayBuffer());
const signal = () => new AbortController().signal;

describe('openUpstreamBody: bytes', () => {
  it('answers206_exactSlice', async () => {
    const up = fakeUpstream({ size: 10_000 });
    let counted = 0;
    const opened = await openUpstreamBody(
      up.upstream({ Authorization: 'Bearer t' }),
      { start: 1000, end: 2999 },
      signal(),
      (n) => {
        counted += n;
      },
    );
    expect(opened.contentType).toBe('video/mp4');
    expect(opened.length).toBeNull();
    expect(await read(opened.body)).toEqual(up.bytes(1000, 2999));
    expect(counted).toBe(2000);
    expect(up.requests[0]).toMatchObject({
      range: 'bytes=1000-2999',
      headers: { authorization: 'Bearer t' },
      init: { cache: 'no-store', mode: 'cors', credentials: 'same-origin' },
    });
  });

  it('noRange_wholeBodyAndItsLength', async () => {
    const up = fakeUpstream({ size: 10_000 });
    const opened = await openUpstreamBody(up.upstream(), null, signal());
    expect(opened.length).toBe(10_000);
    expect(await read(opened.body)).toEqual(up.bytes(0, 9999));
    expect(up.requests[0]?.range).toBeNull();
  });

  it('answers200_cutToTheRangeAndSourceStopped', async () => {
    const up = fakeUpstream({ size: 10_000, pieceBytes: 700 }).fault({ ignoreRange: true });
    let counted = 0;
    const opened = await openUpstreamBody(
      up.upstream(),
      { start: 1000, end: 2999 },
      signal(),
      (n) => {
        counted += n;
      },
    );
    expect(await read(opened.body)).toEqual(up.bytes(1000, 2999));
    expect(counted).toBe(2000);
    // Once the range is out, the rest of the whole body is not downloaded.
    expect(up.requests[0]?.end?.how).toBe('cancelled');
    expect(up.requests[0]?.sent).toBeLessThan(10_000);
  });

  it('sameValidators_exactSlice', async () => {
    const up = fakeUpstream();
    const c = up.content();
    const opened = await openUpstreamBody(
      up.upstream(),
      { start: 0, end: 99 },
      signal(),
      undefined,
      c,
    );
    expect(await read(opened.body)).toEqual(up.bytes(0, 99));
  });

  it('lastByteOnly_exactSlice', async () => {
    const up = fakeUpstream({ size: 10_000 });
    const opened = await openUpstreamBody(up.upstream(), { start: 9999, end: 9999 }, signal());
    expect(await read(opened.body)).toEqual(up.bytes(9999, 9999));
  });
});

describe('openUpstreamBody: failures', () => {
  it('otherETag_contentChangedAndBodyReleased', async () => {
    const up = fakeUpstream().changeFrom(0, { seed: 2 });
    const opening = openUpstreamBody(
      up.upstream(),
      { start: 0, end: 999 },
      signal(),
      undefined,
      up.content(0),
    );
    await expect(opening).rejects.toBeInstanceOf(ProxyError);
    await expect(opening).rejects.toMatchObject({ code: 'content-changed' });
    expect(up.requests[0]?.end?.how).toBe('cancelled');
  });

  it('rangeIgnoredWholeBodyOfOtherSize_contentChanged', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault({ ignoreRange: true });
    const before = up.content();
    up.changeFrom(0, { size: 12_000, etag: before.etag, lastModified: before.lastModified });
    const range = { start: 0, end: 999 };
    const opening = openUpstreamBody(up.upstream(), range, signal(), undefined, before);
    await expect(opening).rejects.toMatchObject({ code: 'content-changed' });
  });

  it.each([401, 403, 404, 416, 500, 503] as const)(
    'status %i_upstreamStatusAndBodyReleased',
    async (status) => {
      const up = fakeUpstream().fault({ status });
      const opening = openUpstreamBody(up.upstream(), { start: 0, end: 999 }, signal());
      await expect(opening).rejects.toBeInstanceOf(ProxyError);
      await expect(opening).rejects.toMatchObject({ code: 'upstream-status', details: { status } });
      expect(up.requests[0]?.end?.how).toBe('cancelled');
    },
  );

  it('status416_toARangeWithinTheProbedSize_contentChanged', async () => {
    const up = fakeUpstream({ size: 10_000 });
    const before = up.content();
    up.changeFrom(0, { size: 5000 });
    let why = '';
    const expected = {
      size: 10_000,
      etag: before.etag,
      lastModified: before.lastModified,
      onChanged: (w: string) => {
        why = w;
      },
    };
    const opening = openUpstreamBody(
      up.upstream(),
      { start: 9000, end: 9099 },
      signal(),
      undefined,
      expected,
    );
    await expect(opening).rejects.toMatchObject({ code: 'content-changed' });
    expect(why).toMatch(/416/);
  });

  it('otherContentRangeStart_upstreamInvalid', async () => {
    const up = fakeUpstream().fault({ headers: { 'Content-Range': 'bytes 0-1999/10000' } });
    const opening = openUpstreamBody(up.upstream(), { start: 1000, end: 2999 }, signal());
    await expect(opening).rejects.toMatchObject({ code: 'upstream-invalid' });
  });

  it('bodyEndsEarly_streamErrorsUpstreamInvalid', async () => {
    const up = fakeUpstream().fault({ endAfter: 500 });
    const opened = await openUpstreamBody(up.upstream(), { start: 0, end: 999 }, signal());
    const reading = read(opened.body);
    await expect(reading).rejects.toBeInstanceOf(ProxyError);
    await expect(reading).rejects.toMatchObject({ code: 'upstream-invalid' });
  });

  it('unreachable_upstreamUnreachable', async () => {
    const up = fakeUpstream().fault({ reject: 'unreachable' });
    const opening = openUpstreamBody(up.upstream(), null, signal());
    await expect(opening).rejects.toMatchObject({ code: 'upstream-unreachable' });
  });

  it('aborted_rejectsWithTheAbortReason', async () => {
    const up = fakeUpstream().fault({ holdHeaders: 'never' });
    const controller = new AbortController();
    const reason = new DOMException('reader gone', 'AbortError');
    const opening = openUpstreamBody(up.upstream(), { start: 0, end: 999 }, controller.signal);
    await up.request(0);
    controller.abort(reason);
    await expect(opening).rejects.toBe(reason);
    expect(up.requests[0]?.aborted).toBe(true);
  });

  it('cancelledBody_upstreamReleased', async () => {
    const up = fakeUpstream({ pieceBytes: 100 });
    const opened = await openUpstreamBody(up.upstream(), { start: 0, end: 999 }, signal());
    const reader = opened.body.getReader();
    await reader.read();
    await reader.cancel();
    expect(up.requests[0]?.end?.how).toBe('cancelled');
  });
});
