/**
 * A catch-up read races the download of the chunk it duplicates (`createChunkedBody`): whichever
 * delivers first wins. When the chunk is stored, or its bytes in progress pass the reader, while
 * the catch-up read is stalled, the catch-up read is cancelled and the reader goes on from the
 * chunk. Through the real proxy and store; the fake upstream stalls the catch-up request only.
 * The clock of timeouts is faked and never moved: no stall timeout can be what unblocks a reader.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectBytes } from '../support/expectBytes.ts';
import { fakeUpstream, type RecordedRequest } from '../support/fakeUpstream.ts';
import { gate } from '../support/gate.ts';
import { concat, ProxyHarness, releaseHarnesses } from '../support/proxyHarness.ts';
import { until } from '../support/until.ts';

// Catch-up needs a gap of 64 KiB (worthCatchingUp.ts): chunks of 256 KiB here.
const CHUNK = 256 * 1024;
const SIZE = 4 * CHUNK;
const SEEK = 200_000;
const CHUNK0 = `bytes=0-${CHUNK - 1}`;
const CATCH_UP = `bytes=${SEEK}-${CHUNK - 1}`;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await releaseHarnesses();
});

async function open(up: ReturnType<typeof fakeUpstream>): Promise<ProxyHarness> {
  return ProxyHarness.open({ upstream: up });
}

const catchUpOf = (up: ReturnType<typeof fakeUpstream>): RecordedRequest | undefined =>
  up.requests.find((r) => r.range === CATCH_UP);

/** `promise`'s value; rejects with `what` if it never settles (a reader blocked for good). */
async function settle<T>(promise: Promise<T>, what: string): Promise<T> {
  let done = false;
  const settled = promise.finally(() => {
    done = true;
  });
  settled.catch(() => undefined);
  await until(() => done, what);
  return promise;
}

/** Read `body` to its end; rejects with `what` if it does not end (a reader blocked for good). */
async function readToEnd(body: ReadableStream<Uint8Array>, what: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let done = false;
  const reading = (async () => {
    const reader = body.getReader();
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      parts.push(next.value);
    }
    done = true;
  })();
  await until(() => done, what);
  await reading;
  return concat(parts);
}

describe('createChunkedBody: a stalled catch-up read loses to the chunk download', () => {
  it('catchUpStalledAtItsStart_chunkCompletes_readerGoesOnFromTheChunk_exactBytes', async () => {
    const chunk0 = gate();
    const up = fakeUpstream({ size: SIZE })
      .fault({ stallAfter: { bytes: 0, until: chunk0.promise } }, (r) => r.range === CHUNK0)
      .fault({ stallAfter: { bytes: 0, until: 'never' } }, (r) => r.range === CATCH_UP);
    const h = await open(up);
    const session = await h.session({ chunkSize: CHUNK, prefetch: 0 });

    // The response waits for its first bytes: the catch-up read's, or the chunk's.
    const responding = h.request(session, `bytes=${SEEK}-${SIZE - 1}`);
    await until(() => catchUpOf(up) !== undefined, 'catch-up read requested');
    await catchUpOf(up)?.stalled;

    chunk0.open(); // the chunk's download completes while the catch-up read is stalled
    const response = await settle(responding, 'the response started');
    const body = readToEnd(response.body as ReadableStream<Uint8Array>, 'the response ended');
    expectBytes(await body, up.bytes(SEEK, SIZE - 1));
    expect(response.status).toBe(206);
    // The catch-up request was ended, not left running.
    expect(catchUpOf(up)?.end?.how).toMatch(/^(cancelled|aborted)$/);
    expect(up.requests.filter((r) => r.range === CHUNK0)).toHaveLength(1);
    expect((await h.stats(session)).catchUpReads).toBe(1);
  });

  it('catchUpStalledMidway_chunkBytesPassTheReader_readerGoesOnFromThem_exactBytes', async () => {
    const headers = gate();
    const rest = gate();
    const up = fakeUpstream({ size: SIZE })
      // Chunk 0's headers wait, so the reader (200 000 bytes in) catches up; then the chunk's
      // bytes pass the reader and stop at 240 000 until `rest` opens.
      .fault(
        { holdHeaders: headers.promise, stallAfter: { bytes: 240_000, until: rest.promise } },
        (r) => r.range === CHUNK0,
      )
      .fault({ stallAfter: { bytes: 10_000, until: 'never' } }, (r) => r.range === CATCH_UP);
    const h = await open(up);
    const session = await h.session({ chunkSize: CHUNK, prefetch: 0 });

    const response = await h.request(session, `bytes=${SEEK}-${SIZE - 1}`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const parts: Uint8Array[] = [];
    const received = () => parts.reduce((n, p) => n + p.byteLength, 0);
    let pulling = true;
    const pump = (async () => {
      while (pulling) {
        const next = await reader.read();
        if (next.done) break;
        parts.push(next.value);
      }
    })();
    await until(() => catchUpOf(up) !== undefined, 'catch-up read requested');
    await catchUpOf(up)?.stalled;
    await until(() => received() === 10_000, 'the catch-up bytes sent on');

    headers.open(); // chunk 0 now streams past the reader (to 240 000) and stalls there
    await until(() => received() >= 240_000 - SEEK - 1, 'the chunk bytes sent on');
    expect(catchUpOf(up)?.end?.how).toMatch(/^(cancelled|aborted)$/);
    expect(up.requests.filter((r) => r.range === CHUNK0)[0]?.end).toBeNull(); // still going

    rest.open();
    await until(() => received() === SIZE - SEEK, 'the whole range sent');
    pulling = false;
    await pump;
    expectBytes(concat(parts), up.bytes(SEEK, SIZE - 1));
  });

  it('catchUpDelivers_chunkStillStalled_readerServedByTheCatchUp_exactBytes', async () => {
    // The other way round: the catch-up read wins while the chunk's download is stalled.
    const chunk0 = gate();
    const up = fakeUpstream({ size: SIZE }).fault(
      { stallAfter: { bytes: 0, until: chunk0.promise } },
      (r) => r.range === CHUNK0,
    );
    const h = await open(up);
    const session = await h.session({ chunkSize: CHUNK, prefetch: 0 });

    const response = await h.request(session, `bytes=${SEEK}-${CHUNK - 1}`);
    expectBytes(
      await readToEnd(response.body as ReadableStream<Uint8Array>, 'the response ended'),
      up.bytes(SEEK, CHUNK - 1),
    );
    // Read to the end of its range (and released: the rest of the body is not wanted).
    expect(catchUpOf(up)).toMatchObject({ aborted: false, sent: CHUNK - SEEK });
    expect(up.requests.filter((r) => r.range === CHUNK0)[0]?.end).toBeNull();
    chunk0.open();
    await h.idle(session);
  });
});
