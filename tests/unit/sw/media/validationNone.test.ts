/**
 * A media whose upstream sends Content-Range but neither ETag nor Last-Modified is validated at
 * level `none` (README "Validation levels"), through the real proxy: nothing that needs a
 * validator to be safe is done for it — bytes of a chunk still downloading are not sent on, no
 * catch-up read is made — and Content-Range is still required of every chunk, also when the
 * media is reopened from storage. Exact bytes and the fake's request log, never durations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectBytes } from '../support/expectBytes.ts';
import { type Fault, fakeUpstream } from '../support/fakeUpstream.ts';
import { gate } from '../support/gate.ts';
import { chunkOf, ProxyHarness, releaseHarnesses, SIZE } from '../support/proxyHarness.ts';
import { settled, until } from '../support/until.ts';

const NO_VALIDATORS: Fault = { headers: { ETag: null, 'Last-Modified': null } };
afterEach(async () => {
  await releaseHarnesses();
});

async function track(opening: Promise<ProxyHarness>): Promise<ProxyHarness> {
  return opening;
}

/** A flag that turns true once `promise` settles. */
function watch(promise: Promise<unknown>): { done: boolean } {
  const flag = { done: false };
  promise.then(
    () => {
      flag.done = true;
    },
    () => {
      flag.done = true;
    },
  );
  return flag;
}

describe('validation none: what is not done without validators', () => {
  it('noValidators_statsSayNone_bytesExact', async () => {
    const up = fakeUpstream({ size: SIZE }).fault(NO_VALIDATORS);
    const h = await track(ProxyHarness.open({ upstream: up }));
    const session = await h.session();
    expectBytes((await h.read(session, 'bytes=0-')).bytes, up.bytes(0, SIZE - 1));
    expect((await h.stats(session)).validation).toBe('none');
  });

  it('noValidators_bytesOfAChunkStillDownloading_notSentBeforeItCompletes', async () => {
    const body = gate();
    const up = fakeUpstream({ size: SIZE, pieceBytes: 100 })
      .fault(NO_VALIDATORS)
      .fault({ stallAfter: { bytes: 500, until: body.promise } }, (r) => chunkOf(r) === 0);
    const h = await track(ProxyHarness.open({ upstream: up }));
    const session = await h.session({ prefetch: 0 });

    const responding = h.request(session, 'bytes=0-1999');
    const started = watch(responding);
    await until(() => h.requestsFor(0).length === 1, 'chunk 0 requested');
    await h.requestsFor(0)[0]?.stalled;
    await settled(() => `${started.done}`);
    expect(started.done).toBe(false); // 500 bytes are in, none sent on

    body.open();
    const response = await responding;
    expectBytes(new Uint8Array(await response.arrayBuffer()), up.bytes(0, 1999));
  });

  it('noValidators_seekDeepIntoAChunkBehind_noCatchUpRead_exactBytes', async () => {
    const chunk = 256 * 1024;
    const size = 4 * chunk;
    const chunk0 = gate();
    const up = fakeUpstream({ size })
      .fault(NO_VALIDATORS)
      .fault({ stallAfter: { bytes: 0, until: chunk0.promise } }, (r) => {
        return r.range === `bytes=0-${chunk - 1}`;
      });
    const h = await track(ProxyHarness.open({ upstream: up }));
    const session = await h.session({ chunkSize: chunk, prefetch: 0 });

    const responding = h.request(session, 'bytes=200000-');
    await until(() => up.requests.some((r) => r.range === `bytes=0-${chunk - 1}`), 'chunk 0');
    await settled(() => `${up.requests.length}`);
    expect(up.requests.map((r) => r.range)).not.toContain(`bytes=200000-${chunk - 1}`);

    chunk0.open();
    const response = await responding;
    expectBytes(new Uint8Array(await response.arrayBuffer()), up.bytes(200000, size - 1));
    expect((await h.stats(session)).catchUpReads).toBe(0);
  });
});

describe('validation none: Content-Range is still required', () => {
  it('reopenedFromStorageProbeFailed_chunkWithoutContentRange_rejectedNotStored', async () => {
    const first = fakeUpstream({ size: SIZE }).fault(NO_VALIDATORS);
    const h = await track(ProxyHarness.open({ upstream: first }));
    const session = await h.session({ prefetch: 0 });
    await h.read(session, 'bytes=0-999');
    await h.idle(session);
    expect(h.proxy.cache.getMedia(h.key)?.validation).toBe('none');

    // After a restart the probe fails (the stored media is served from storage), and the
    // upstream answers chunk 1 without Content-Range: the range cannot be checked.
    const second = fakeUpstream({ size: SIZE })
      .fault({ reject: 'unreachable' }, (r) => r.range === 'bytes=0-0')
      .fault({ headers: { ETag: null, 'Last-Modified': null, 'Content-Range': null } });
    const h2 = await track(h.restart(second));
    await h2.readSome(session, 'bytes=1000-1999');

    expect(h2.requestsFor(1).length).toBeGreaterThan(0);
    expect(h2.proxy.cache.isStored(h2.key, 1)).toBe(false);
    expect((await h2.stats(session)).failedChunks).toContain(1);
  });
});
