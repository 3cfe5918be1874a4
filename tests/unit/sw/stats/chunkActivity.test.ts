/**
 * Stats' `activity`, what a chunk map draws: which chunks are stored, downloading (with bytes
 * received), queued, and where each reader and its window are, as the proxy decided them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fakeUpstream } from '../support/fakeUpstream.ts';
import { gate } from '../support/gate.ts';
import { chunkOf, ProxyHarness, releaseHarnesses, SIZE } from '../support/proxyHarness.ts';
import { until } from '../support/until.ts';

afterEach(async () => {
  await releaseHarnesses();
});

describe('stats.activity', () => {
  it('readerAtChunk0_prefetchesRunningAndQueued_asDecided', async () => {
    const release = gate();
    const up = fakeUpstream({ size: SIZE, pieceBytes: 100 });
    up.fault({ stallAfter: { bytes: 300, until: release.promise } }, (r) => (chunkOf(r) ?? 0) > 0);
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session({ concurrency: 2, prefetch: 4 });
    const response = await h.request(session, 'bytes=0-');
    await until(() => h.requestsFor(1).length + h.requestsFor(2).length === 2, 'prefetch 1, 2');
    await Promise.all([h.requestsFor(1)[0]?.stalled, h.requestsFor(2)[0]?.stalled]);
    await until(async () => (await h.stats(session)).chunks.stored === 1, 'chunk 0 stored');

    const { activity } = await h.stats(session);
    expect(activity).toEqual({
      stored: [[0, 0]],
      downloading: [
        { index: 1, received: 300 },
        { index: 2, received: 300 },
      ],
      queued: [3, 4],
      readers: [{ position: 0, windowEnd: 4 }],
    });
    await response.body?.cancel();
    release.open();
  });

  it('sessionNotOpenYet_activityNull', async () => {
    const h = await ProxyHarness.open();
    const session = await h.session();
    expect((await h.stats(session)).activity).toBeNull();
  });
});
