/**
 * A captive portal met after the media opened, through the real proxy: a direct read answered
 * with a sign-in page is a failure, neither served as the media nor taken for a content change
 * (which would drop the stored chunks).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectBytes } from '../support/expectBytes.ts';
import { fakeUpstream, type RecordedRequest } from '../support/fakeUpstream.ts';
import { chunkOf, ProxyHarness, releaseHarnesses, SIZE } from '../support/proxyHarness.ts';

afterEach(async () => {
  await releaseHarnesses();
});

const isProbe = (r: RecordedRequest) => r.range === 'bytes=0-0';

describe('a captive portal after the media opened', () => {
  it('fallbackReadGetsSignInPage_bodyBreaks_storedChunksKept', async () => {
    const up = fakeUpstream({ size: SIZE })
      .fault({ status: 503 }, (r) => chunkOf(r) === 1)
      .fault({ captivePortal: true }, (r) => chunkOf(r) === null && !isProbe(r));
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session({ prefetch: 0 });

    const got = await h.readSome(session, 'bytes=0-');
    expect(got.error).toMatchObject({ code: 'upstream-invalid' });
    expectBytes(got.bytes, up.bytes(0, 999));
    await h.idle(session);
    expect(h.proxy.cache.isStored(h.key, 0)).toBe(true);
    expect((await h.stats(session)).mode).toBe('parallel');
  });

  it('singleModeRequestGetsSignInPage_502UpstreamInvalid', async () => {
    const up = fakeUpstream({ size: SIZE }).fault({ ignoreRange: true });
    up.fault({ captivePortal: true }, (r) => r.range === 'bytes=100-199');
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session();
    const got = await h.read(session, 'bytes=100-199');
    expect(got.status).toBe(502);
    expect(JSON.parse(new TextDecoder().decode(got.bytes)).error).toBe('upstream-invalid');
  });
});
