/**
 * Single mode through the real proxy: an upstream that ignores `Range` still gets exact 206s (cut
 * out of its 200), one whose size cannot be learned gets the whole body as a 200 whatever was
 * asked. Nothing is chunked or stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectBytes } from '../support/expectBytes.ts';
import { type Fault, fakeUpstream } from '../support/fakeUpstream.ts';
import { ProxyHarness, releaseHarnesses, SIZE } from '../support/proxyHarness.ts';

const LAST = SIZE - 1;
async function openWith(fault: Fault) {
  const up = fakeUpstream({ size: SIZE }).fault(fault);
  const h = await ProxyHarness.open({ upstream: up });
  return { h, up, session: await h.session() };
}

afterEach(async () => {
  await releaseHarnesses();
});

describe('serveSingle: upstream ignores Range', () => {
  it.each<[string | null, 200 | 206, number, number]>([
    [null, 200, 0, LAST],
    ['bytes=0-1', 206, 0, 1],
    ['bytes=100-2099', 206, 100, 2099],
    ['bytes=9000-', 206, 9000, LAST],
    ['bytes=9000-99999', 206, 9000, LAST],
    ['bytes=-10', 206, SIZE - 10, LAST],
    ['bytes=5-4', 200, 0, LAST],
  ])('range %s_exactAnswerCutFromThe200', async (range, status, start, end) => {
    const { h, up, session } = await openWith({ ignoreRange: true });
    const got = await h.read(session, range);
    expect(got.status).toBe(status);
    expect(got.headers.get('Content-Range')).toBe(
      status === 206 ? `bytes ${start}-${end}/${SIZE}` : null,
    );
    expect(got.headers.get('Content-Length')).toBe(String(end - start + 1));
    expectBytes(got.bytes, up.bytes(start, end));

    const stats = await h.stats(session);
    expect(stats.mode).toBe('single');
    expect(stats.reason).toMatch(/ignores Range/);
    expect(stats.upstreamBytes).toBe(end - start + 1);
    expect(h.proxy.cache.list()).toEqual([]);
    expect(await h.storage.chunks.listChunks()).toEqual([]);
  });

  it('unsatisfiable_416WithoutAskingTheUpstream', async () => {
    const { h, up, session } = await openWith({ ignoreRange: true });
    await h.read(session, 'bytes=0-0'); // opens the media
    const asked = up.requests.length;
    const got = await h.read(session, 'bytes=9500-');
    expect(got.status).toBe(416);
    expect(got.headers.get('Content-Range')).toBe(`bytes */${SIZE}`);
    expect(up.requests.length).toBe(asked);
  });

  it('upstreamShorterNow_its416IsAChange_probedAgain_416WithTheNewSize', async () => {
    // The probe's answer ignores Range (single mode); later ones honour it, as a CDN's cache
    // miss then hit would.
    const up = fakeUpstream({ size: SIZE }).fault(
      { ignoreRange: true },
      (r) =>
        r.range === 'bytes=0-0' && up.requests.filter((q) => q.range === 'bytes=0-0').length === 1,
    );
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session();
    expect((await h.read(session, 'bytes=0-99')).status).toBe(206);
    expect((await h.stats(session)).mode).toBe('single');
    up.changeFrom(up.requests.length, { size: 5000 }); // the file is shorter from now on
    const got = await h.read(session, 'bytes=9000-9099');
    // RFC 9110 §15.5.17: the 416 names the current size, which the new probe learned.
    expect(got.status).toBe(416);
    expect(got.headers.get('Content-Range')).toBe('bytes */5000');
    expectBytes((await h.read(session, 'bytes=4900-')).bytes, up.bytes(4900, 4999, 1));
  });

  it('everyRequestGoesUpstream_nothingCached', async () => {
    const { h, up, session } = await openWith({ ignoreRange: true });
    await h.read(session, 'bytes=0-999');
    const asked = up.requests.length;
    expectBytes((await h.read(session, 'bytes=0-999')).bytes, up.bytes(0, 999));
    expect(up.requests.length).toBe(asked + 1);
  });
});

describe('serveSingle: size unknown', () => {
  // CORS hides Content-Range and the upstream sends no Content-Length either.
  const hidden: Fault = { hideHeaders: true, headers: { 'Content-Length': null } };

  it.each([null, 'bytes=0-1', 'bytes=100-2099', 'bytes=-10', 'bytes=9500-'])(
    'range %s_200WholeBody',
    async (range) => {
      const { h, up, session } = await openWith(hidden);
      const got = await h.read(session, range);
      expect(got.status).toBe(200);
      expect(got.headers.get('Content-Range')).toBeNull();
      expect(got.headers.get('Content-Type')).toBe('video/mp4');
      expectBytes(got.bytes, up.bytes(0, LAST));
      const stats = await h.stats(session);
      expect(stats.mode).toBe('single');
      expect(stats.reason).toMatch(/size unknown/);
      // The whole body was asked for: no exact range can be promised without the size.
      expect(up.requests.at(-1)).toMatchObject({ method: 'GET', range: null });
    },
  );

  it('head_200NoBody', async () => {
    const { h, session } = await openWith(hidden);
    const got = await h.read(session, null, 'HEAD');
    expect(got.status).toBe(200);
    expect(got.bytes.byteLength).toBe(0);
  });
});
