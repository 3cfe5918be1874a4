/**
 * `probeUpstream` against a scripted upstream: which mode each kind of upstream gets, and which
 * requests the probe sends to learn it.
 */
import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../../src/sw/errors/ProxyError.ts';
import { probeUpstream } from '../../../../src/sw/upstream/probeUpstream.ts';
import { fakeUpstream } from '../support/fakeUpstream.ts';

describe('probeUpstream: parallel', () => {
  it('answers206_parallelStrongFromOneRangedGet', async () => {
    const up = fakeUpstream({ size: 10_000, contentType: 'video/webm' });
    const result = await probeUpstream(up.upstream({ Authorization: 'Bearer t' }));
    expect(result).toEqual({
      mode: 'parallel',
      info: {
        size: 10_000,
        contentType: 'video/webm',
        etag: up.content().etag,
        lastModified: up.content().lastModified,
        contentRangeVisible: true,
        validation: 'strong',
      },
    });
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]).toMatchObject({
      method: 'GET',
      range: 'bytes=0-0',
      headers: { authorization: 'Bearer t' },
      init: { cache: 'no-store', mode: 'cors', credentials: 'same-origin' },
    });
  });

  it('answers206_bodyReleased', async () => {
    const up = fakeUpstream();
    await probeUpstream(up.upstream());
    await up.requests[0]?.ended;
    expect(up.inFlight()).toBe(0);
  });

  it('corsHidesContentRange_headGivesSize_lengthOnly', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault({ hideHeaders: true });
    const result = await probeUpstream(up.upstream());
    expect(result).toEqual({
      mode: 'parallel',
      info: {
        size: 10_000,
        contentType: 'video/mp4',
        etag: null, // hidden by CORS
        lastModified: up.content().lastModified, // CORS-safelisted
        contentRangeVisible: false,
        validation: 'length-only',
      },
    });
    expect(up.requests.map((r) => [r.method, r.range])).toEqual([
      ['GET', 'bytes=0-0'],
      ['HEAD', null],
    ]);
  });

  it('emptyMedia416_parallelSizeZero', async () => {
    const up = fakeUpstream({ size: 0 });
    const result = await probeUpstream(up.upstream());
    expect(result).toMatchObject({ mode: 'parallel', info: { size: 0, validation: 'strong' } });
    expect(up.requests).toHaveLength(1);
  });
});

describe('probeUpstream: single', () => {
  it('answers200_singleWithLength', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault({ ignoreRange: true });
    const result = await probeUpstream(up.upstream());
    expect(result).toEqual({
      mode: 'single',
      reason: 'upstream ignores Range (answered 200 to bytes=0-0)',
      size: 10_000,
      contentType: 'video/mp4',
      // Carried into the answers and checked on every upstream answer (serveSingle).
      etag: up.content().etag,
      lastModified: up.content().lastModified,
      opaque: false,
    });
    expect(up.requests).toHaveLength(1);
  });

  it('answers200WithoutLength_singleSizeUnknown', async () => {
    const up = fakeUpstream().fault({ ignoreRange: true, headers: { 'Content-Length': null } });
    expect(await probeUpstream(up.upstream())).toMatchObject({ mode: 'single', size: null });
  });

  it('corsHiddenAndHeadWithoutLength_singleSizeUnknown', async () => {
    const up = fakeUpstream()
      .fault({ hideHeaders: true })
      .fault({ headers: { 'Content-Length': null } }, (r) => r.method === 'HEAD');
    const result = await probeUpstream(up.upstream());
    expect(result).toMatchObject({
      mode: 'single',
      reason: 'upstream size unknown (no Content-Range or Content-Length)',
      size: null,
      opaque: false,
    });
  });

  it('corsHiddenAndHeadFails_singleSizeUnknown', async () => {
    const up = fakeUpstream()
      .fault({ hideHeaders: true })
      .fault({ status: 403 }, (r) => r.method === 'HEAD');
    expect(await probeUpstream(up.upstream())).toMatchObject({ mode: 'single', size: null });
  });

  it('noCorsHeaders_opaqueProbe_singleOpaque', async () => {
    const up = fakeUpstream().fault({ reject: 'cors' });
    const result = await probeUpstream(up.upstream());
    expect(result).toEqual({
      mode: 'single',
      reason: 'upstream is not readable through CORS (opaque)',
      size: null,
      contentType: null,
      etag: null,
      lastModified: null,
      opaque: true,
    });
    expect(up.requests.map((r) => [r.method, r.init.mode])).toEqual([
      ['GET', 'cors'],
      ['HEAD', 'no-cors'],
    ]);
  });
});

describe('probeUpstream: failures', () => {
  it('captivePortal_upstreamInvalidNotSingle', async () => {
    // A sign-in page answers 200 to anything: it is not the media, in any mode (notMedia.test.ts).
    const up = fakeUpstream().fault({ captivePortal: true });
    await expect(probeUpstream(up.upstream())).rejects.toMatchObject({ code: 'upstream-invalid' });
  });

  it('unreachable_upstreamUnreachableAfterNoCorsCheck', async () => {
    const up = fakeUpstream().fault({ reject: 'unreachable' });
    const probe = probeUpstream(up.upstream());
    await expect(probe).rejects.toBeInstanceOf(ProxyError);
    await expect(probe).rejects.toMatchObject({ code: 'upstream-unreachable' });
    expect(up.requests.map((r) => r.init.mode)).toEqual(['cors', 'no-cors']);
  });

  it.each([401, 403, 404, 500, 503] as const)('status %i_upstreamStatus', async (status) => {
    const up = fakeUpstream().fault({ status });
    const probe = probeUpstream(up.upstream());
    await expect(probe).rejects.toBeInstanceOf(ProxyError);
    await expect(probe).rejects.toMatchObject({ code: 'upstream-status', details: { status } });
    expect(up.requests).toHaveLength(1);
  });

  it('aborted_rejectsWithReasonAndNoNoCorsRetry', async () => {
    const up = fakeUpstream().fault({ holdHeaders: 'never' });
    const controller = new AbortController();
    const probe = probeUpstream(up.upstream(), controller.signal);
    await up.request(0);
    controller.abort();
    await expect(probe).rejects.toMatchObject({ name: 'AbortError' });
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]?.aborted).toBe(true);
  });
});
