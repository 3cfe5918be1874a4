/**
 * Redirected chunk requests through the real proxy: the bytes are validated and exact, and each
 * chunk answer that came through a redirect is counted in the stats (`redirects`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectBytes } from '../support/expectBytes.ts';
import { fakeUpstream } from '../support/fakeUpstream.ts';
import { CHUNKS, chunkOf, ProxyHarness, releaseHarnesses, SIZE } from '../support/proxyHarness.ts';

afterEach(async () => {
  await releaseHarnesses();
});

describe('redirects', () => {
  it('chunksRedirectedToAnotherOrigin_exactBytes_statsCountThem', async () => {
    const up = fakeUpstream({ size: SIZE }).fault(
      { redirectedTo: 'https://cdn.other.test/media.mp4' },
      (r) => chunkOf(r) !== null,
    );
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session({ prefetch: 0 });
    expectBytes((await h.read(session, null)).bytes, up.bytes(0, SIZE - 1));
    const stats = await h.stats(session);
    expect(stats.redirects).toBe(CHUNKS);
    expect(stats.fallbacks).toBe(0);
  });

  it('notRedirected_noneCounted', async () => {
    const h = await ProxyHarness.open();
    const session = await h.session();
    await h.read(session, null);
    expect((await h.stats(session)).redirects).toBe(0);
  });
});
