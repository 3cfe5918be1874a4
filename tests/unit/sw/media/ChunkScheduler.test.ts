/**
 * `ChunkScheduler` driven by deferred promises: every `run(index, signal)` call returns a promise
 * the test settles by hand, so the test alone decides when each download finishes. No timers.
 */
import { describe, expect, it } from 'vitest';
import { ChunkScheduler } from '../../../../src/sw/media/ChunkScheduler.ts';
import { droppedPrefetch, isDroppedPrefetch } from '../../../../src/sw/media/droppedPrefetch.ts';

interface Call {
  index: number;
  signal: AbortSignal;
  promise: Promise<string>;
  resolve(value: string): void;
  reject(error: unknown): void;
}

function harness(concurrency: number) {
  const calls: Call[] = [];
  const run = (index: number, signal: AbortSignal): Promise<string> => {
    let resolve!: (value: string) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<string>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    calls.push({ index, signal, promise, resolve, reject });
    return promise;
  };
  const scheduler = new ChunkScheduler<string>(run, concurrency);

  /** The latest `run` call for `index` (fails the test if there is none). */
  const call = (index: number): Call => {
    const found = calls.filter((c) => c.index === index).at(-1);
    if (!found) throw new Error(`run was never called for chunk ${index}`);
    return found;
  };
  /** Indexes `run` was called with, in call order. */
  const started = () => calls.map((c) => c.index);
  /**
   * Settle the latest download of `index` and wait until the scheduler has seen it. The
   * scheduler subscribed to the run promise when it started the download, so a continuation
   * attached here runs after its bookkeeping.
   */
  const finish = async (index: number, value = `chunk ${index}`): Promise<void> => {
    const c = call(index);
    c.resolve(value);
    await c.promise;
  };
  const fail = async (index: number, error: unknown): Promise<void> => {
    const c = call(index);
    c.reject(error);
    await c.promise.catch(() => undefined);
  };
  return { scheduler, calls, call, started, finish, fail };
}

/** Resolves with how `promise` settled, so a test can assert it is still pending. */
function state(promise: Promise<unknown>): Promise<'pending' | 'fulfilled' | 'rejected'> {
  const marker = Symbol('pending');
  return Promise.race([promise, Promise.resolve(marker)]).then(
    (v) => (v === marker ? 'pending' : 'fulfilled'),
    () => 'rejected',
  );
}

describe('ChunkScheduler: concurrency', () => {
  it('morePrefetchesThanSlots_atMostConcurrencyRun', async () => {
    const { scheduler, started, finish } = harness(2);
    for (let i = 0; i < 5; i++) scheduler.startPrefetch(i);
    expect(started()).toEqual([0, 1]);
    expect(scheduler.counts()).toMatchObject({ running: 2, queued: 3, requiredQueued: 0 });

    await finish(0);
    expect(started()).toEqual([0, 1, 2]);
    expect(scheduler.runningIndexes()).toEqual([1, 2]);
    expect(scheduler.counts()).toMatchObject({ running: 2, queued: 2, requiredQueued: 0 });
  });

  it('setConcurrencyHigher_startsQueuedDownloadsAtOnce', () => {
    const { scheduler, started } = harness(1);
    for (let i = 0; i < 4; i++) scheduler.startPrefetch(i);
    expect(started()).toEqual([0]);
    scheduler.setConcurrency(3);
    expect(started()).toEqual([0, 1, 2]);
    expect(scheduler.counts()).toMatchObject({ running: 3, queued: 1, requiredQueued: 0 });
  });

  it('setConcurrencyLower_abortsNothing_startsNoneUntilBelowLimit', async () => {
    const { scheduler, started, finish, calls } = harness(3);
    for (let i = 0; i < 5; i++) scheduler.startPrefetch(i);
    scheduler.setConcurrency(1);
    expect(calls.every((c) => !c.signal.aborted)).toBe(true);
    expect(scheduler.counts().running).toBe(3);

    await finish(0);
    await finish(1);
    expect(started()).toEqual([0, 1, 2]);
    await finish(2);
    expect(started()).toEqual([0, 1, 2, 3]);
    expect(scheduler.counts()).toMatchObject({ running: 1, queued: 1, requiredQueued: 0 });
  });

  it.each([0, -1, Number.NaN])('concurrency %d_isRejectedWithRangeError', (bad) => {
    const { scheduler } = harness(1);
    expect(() => new ChunkScheduler(() => Promise.resolve(''), bad)).toThrow(RangeError);
    expect(() => scheduler.setConcurrency(bad)).toThrow(RangeError);
  });
});

describe('ChunkScheduler: one download per chunk', () => {
  it('manyWaitersAndPrefetches_runCalledOnce_everyWaiterGetsTheValue', async () => {
    const { scheduler, started, call } = harness(4);
    const a = scheduler.waitForChunk(3);
    scheduler.startPrefetch(3);
    const b = scheduler.waitForChunk(3);
    const c = scheduler.waitForChunk(3, new AbortController().signal);
    expect(started()).toEqual([3]);

    call(3).resolve('bytes of 3');
    expect(await Promise.all([a, b, c])).toEqual(['bytes of 3', 'bytes of 3', 'bytes of 3']);
    expect(started()).toEqual([3]);
    expect(scheduler.has(3)).toBe(false);
  });

  it('startPrefetch_isIdempotent_andReturnsWithoutWaiting', () => {
    const { scheduler, started } = harness(1);
    scheduler.startPrefetch(0);
    expect(scheduler.startPrefetch(1)).toBeUndefined();
    scheduler.startPrefetch(1);
    scheduler.startPrefetch(0);
    expect(started()).toEqual([0]);
    expect(scheduler.has(1)).toBe(true);
    expect(scheduler.counts()).toMatchObject({ running: 1, queued: 1, requiredQueued: 0 });
  });

  it('completedChunk_isForgotten_nextWaitStartsANewDownload', async () => {
    const { scheduler, started, finish } = harness(1);
    const first = scheduler.waitForChunk(0);
    await finish(0, 'first');
    expect(await first).toBe('first');
    const second = scheduler.waitForChunk(0);
    expect(started()).toEqual([0, 0]);
    await finish(0, 'second');
    expect(await second).toBe('second');
  });
});

describe('ChunkScheduler: priority', () => {
  it('required_jumpsAheadOfQueuedPrefetches', async () => {
    const { scheduler, started, finish } = harness(1);
    scheduler.startPrefetch(0);
    scheduler.startPrefetch(1);
    scheduler.startPrefetch(2);
    const wanted = scheduler.waitForChunk(7);
    expect(scheduler.counts()).toMatchObject({ running: 1, queued: 3, requiredQueued: 1 });

    await finish(0);
    expect(started()).toEqual([0, 7]);
    await finish(7, 'seven');
    expect(await wanted).toBe('seven');
    expect(started()).toEqual([0, 7, 1]);
  });

  it('requiredOnes_startInArrivalOrder', async () => {
    const { scheduler, started, finish } = harness(1);
    scheduler.startPrefetch(0);
    const a = scheduler.waitForChunk(5);
    const b = scheduler.waitForChunk(3);
    await finish(0);
    await finish(5);
    await finish(3);
    expect(started()).toEqual([0, 5, 3]);
    expect(await Promise.all([a, b])).toEqual(['chunk 5', 'chunk 3']);
  });

  it('waitForChunk_upgradesAQueuedPrefetch_withoutASecondDownload', async () => {
    const { scheduler, started, finish } = harness(1);
    for (let i = 0; i < 4; i++) scheduler.startPrefetch(i);
    const wanted = scheduler.waitForChunk(3);
    expect(scheduler.counts()).toMatchObject({ running: 1, queued: 3, requiredQueued: 1 });

    await finish(0);
    expect(started()).toEqual([0, 3]);
    await finish(3);
    expect(await wanted).toBe('chunk 3');
    expect(started()).toEqual([0, 3, 1]);
  });

  it('lastWaiterWithdrawsFromQueuedChunk_itGoesOnAsAPrefetchInArrivalOrder', async () => {
    const { scheduler, started, finish } = harness(1);
    scheduler.startPrefetch(0);
    scheduler.startPrefetch(1);
    const reader = new AbortController();
    const withdrawn = scheduler.waitForChunk(5, reader.signal);
    const rejection = expect(withdrawn).rejects.toBe('seeked away');
    reader.abort('seeked away');
    await rejection;
    expect(scheduler.counts()).toMatchObject({ running: 1, queued: 2, requiredQueued: 0 });

    await finish(0);
    expect(started()).toEqual([0, 1]);
    await finish(1);
    expect(started()).toEqual([0, 1, 5]);
  });
});

describe('ChunkScheduler: a waiter withdrawing', () => {
  it('abortedWaiter_rejectsWithItsReason_downloadGoesOn_othersGetTheValue', async () => {
    const { scheduler, call, started } = harness(1);
    const leaving = new AbortController();
    const reason = new Error('reader closed');
    const a = scheduler.waitForChunk(0, leaving.signal);
    const b = scheduler.waitForChunk(0);
    const c = scheduler.waitForChunk(0, new AbortController().signal);
    const rejection = expect(a).rejects.toBe(reason);

    leaving.abort(reason);
    await rejection;
    expect(call(0).signal.aborted).toBe(false);
    expect(scheduler.runningIndexes()).toEqual([0]);

    call(0).resolve('value');
    expect(await b).toBe('value');
    expect(await c).toBe('value');
    expect(started()).toEqual([0]);
  });

  it('alreadyAbortedSignal_rejectsAtOnceWithItsReason_startsNoDownload', async () => {
    const { scheduler, started } = harness(1);
    const gone = new AbortController();
    gone.abort('already gone');
    await expect(scheduler.waitForChunk(4, gone.signal)).rejects.toBe('already gone');
    expect(started()).toEqual([]);
    expect(scheduler.counts()).toMatchObject({ running: 0 });
  });

  it('abortAfterTheValueArrived_doesNotChangeTheResult', async () => {
    const { scheduler, finish } = harness(1);
    const reader = new AbortController();
    const waiting = scheduler.waitForChunk(0, reader.signal);
    await finish(0, 'got it');
    expect(await waiting).toBe('got it');
    reader.abort('too late');
    expect(await waiting).toBe('got it');
  });

  it('withdrawnWaiter_makesTheChunkDroppable', async () => {
    const { scheduler, call } = harness(1);
    const reader = new AbortController();
    const waiting = scheduler.waitForChunk(0, reader.signal);
    const rejection = expect(waiting).rejects.toBe('bye');
    reader.abort('bye');
    await rejection;
    expect(scheduler.retainPrefetches(() => false)).toEqual([0]);
    expect(call(0).signal.aborted).toBe(true);
  });
});

describe('ChunkScheduler: retainPrefetches', () => {
  it('dropsUnwantedUnwaitedPrefetches_keepsWaitedAndKept', async () => {
    const { scheduler, started, call, finish } = harness(2);
    scheduler.startPrefetch(0); // running, nobody waits, not kept: aborted
    scheduler.startPrefetch(1); // running, a reader waits: kept
    scheduler.startPrefetch(2); // queued, kept by `keep`
    scheduler.startPrefetch(3); // queued, a reader waits: kept
    scheduler.startPrefetch(4); // queued, nobody waits, not kept: removed
    const on1 = scheduler.waitForChunk(1);
    const on3 = scheduler.waitForChunk(3);
    const on0 = call(0);

    const dropped = scheduler.retainPrefetches((i) => i === 2);
    expect(dropped).toEqual([0, 4]);
    expect(on0.signal.aborted).toBe(true);
    expect(on0.signal.reason).toBeInstanceOf(DOMException);
    expect((on0.signal.reason as DOMException).name).toBe('AbortError');
    expect(call(1).signal.aborted).toBe(false);
    expect([0, 1, 2, 3, 4].map((i) => scheduler.has(i))).toEqual([false, true, true, true, false]);
    // The aborted download keeps its slot until its `run` settles.
    expect(scheduler.counts()).toMatchObject({ running: 2, queued: 2, requiredQueued: 1 });

    await settleAborted(on0);
    expect(started()).toEqual([0, 1, 3]);
    await finish(1);
    await finish(3);
    expect(await Promise.all([on1, on3])).toEqual(['chunk 1', 'chunk 3']);
    expect(started()).toEqual([0, 1, 3, 2]);
    expect(started()).not.toContain(4);
  });

  it('keepRejectsEverything_stillNeverDropsAChunkSomebodyWaitsFor', () => {
    const { scheduler, call } = harness(1);
    void scheduler.waitForChunk(0);
    void scheduler.waitForChunk(1, new AbortController().signal);
    expect(scheduler.retainPrefetches(() => false)).toEqual([]);
    expect(call(0).signal.aborted).toBe(false);
    expect(scheduler.has(1)).toBe(true);
  });

  it('keep_isAskedOnlyAboutChunksNobodyWaitsFor', () => {
    const { scheduler } = harness(1);
    scheduler.startPrefetch(0);
    void scheduler.waitForChunk(1);
    scheduler.startPrefetch(2);
    const asked: number[] = [];
    scheduler.retainPrefetches((i) => {
      asked.push(i);
      return true;
    });
    expect(asked).toEqual([0, 2]);
  });
});

/** Settle an aborted download the way a real `run` does: reject once its signal aborted. */
async function settleAborted(c: Call): Promise<void> {
  c.reject(c.signal.reason);
  await c.promise.catch(() => undefined);
}

describe('ChunkScheduler: abortAll', () => {
  it('abortAll_rejectsEveryWaiter_andAbortsEverySignal', async () => {
    const { scheduler, call, started } = harness(1);
    const reason = new Error('session closed');
    const a = scheduler.waitForChunk(0);
    const b = scheduler.waitForChunk(0, new AbortController().signal);
    const c = scheduler.waitForChunk(1);
    scheduler.startPrefetch(2);
    const expectations = [a, b, c].map((p) => expect(p).rejects.toBe(reason));

    scheduler.abortAll(reason);
    await Promise.all(expectations);
    expect(call(0).signal.aborted).toBe(true);
    expect(call(0).signal.reason).toBe(reason);
    expect([0, 1, 2].map((i) => scheduler.has(i))).toEqual([false, false, false]);
    expect(scheduler.counts()).toMatchObject({ running: 1, queued: 0, requiredQueued: 0 });

    await settleAborted(call(0));
    expect(started()).toEqual([0]);
    expect(scheduler.counts()).toMatchObject({ running: 0, queued: 0, requiredQueued: 0 });
  });

  it('abortAllWithoutReason_rejectsWithAbortError', async () => {
    const { scheduler } = harness(1);
    const waiting = scheduler.waitForChunk(0);
    scheduler.abortAll();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('lateValueOfAnAbortedDownload_isIgnored', async () => {
    const { scheduler, finish } = harness(1);
    const waiting = scheduler.waitForChunk(0);
    const rejection = expect(waiting).rejects.toBe('closed');
    scheduler.abortAll('closed');
    await rejection;
    await finish(0, 'too late');
    expect(scheduler.counts()).toMatchObject({ running: 0, queued: 0, requiredQueued: 0 });
  });
});

describe('ChunkScheduler: failures', () => {
  it('failedDownload_rejectsEveryWaiter_nextWaitStartsAFreshDownload', async () => {
    const { scheduler, started, call, fail, finish } = harness(2);
    const error = new Error('upstream 503');
    const a = scheduler.waitForChunk(0);
    const b = scheduler.waitForChunk(0, new AbortController().signal);
    const firstSignal = call(0).signal;
    const expectations = [a, b].map((p) => expect(p).rejects.toBe(error));

    await fail(0, error);
    await Promise.all(expectations);
    expect(scheduler.has(0)).toBe(false);
    expect(scheduler.counts()).toMatchObject({ running: 0, queued: 0, requiredQueued: 0 });

    const retry = scheduler.waitForChunk(0);
    expect(started()).toEqual([0, 0]);
    expect(call(0).signal).not.toBe(firstSignal);
    await finish(0, 'second try');
    expect(await retry).toBe('second try');
  });

  it('failedPrefetchWithoutWaiters_isNotAnUnhandledRejection_andFreesItsSlot', async () => {
    const { scheduler, started, fail } = harness(1);
    scheduler.startPrefetch(0);
    scheduler.startPrefetch(1);
    await fail(0, new Error('nobody listens'));
    expect(started()).toEqual([0, 1]);
    expect(scheduler.has(0)).toBe(false);
  });

  it('runThrowingSynchronously_rejectsTheWaiter_andFreesItsSlot', async () => {
    const boom = new Error('sync boom');
    const indexes: number[] = [];
    const scheduler = new ChunkScheduler<string>((index) => {
      indexes.push(index);
      if (index === 0) throw boom;
      return Promise.resolve(`chunk ${index}`);
    }, 1);
    const first = scheduler.waitForChunk(0);
    const second = scheduler.waitForChunk(1);
    await expect(first).rejects.toBe(boom);
    expect(await second).toBe('chunk 1');
    expect(indexes).toEqual([0, 1]);
  });
});

describe('ChunkScheduler: aborted running downloads keep their slot', () => {
  it('droppedRunningPrefetch_holdsTheSlotUntilRunSettles', async () => {
    const { scheduler, started, call } = harness(1);
    scheduler.startPrefetch(0);
    scheduler.retainPrefetches(() => false);
    expect(call(0).signal.aborted).toBe(true);

    const next = scheduler.waitForChunk(1);
    expect(started()).toEqual([0]);
    expect(scheduler.counts()).toMatchObject({ running: 1, queued: 1, requiredQueued: 1 });
    expect(await state(next)).toBe('pending');

    await settleAborted(call(0));
    expect(started()).toEqual([0, 1]);
    expect(scheduler.counts()).toMatchObject({ running: 1, queued: 0, requiredQueued: 0 });
  });

  it('oldDownloadSettlingLate_doesNotDisturbANewDownloadOfTheSameChunk', async () => {
    const { scheduler, calls, started, finish } = harness(2);
    scheduler.startPrefetch(0);
    const old = calls[0] as Call;
    scheduler.retainPrefetches(() => false);

    const fresh = scheduler.waitForChunk(0);
    expect(started()).toEqual([0, 0]);
    old.resolve('stale');
    await old.promise;
    expect(scheduler.has(0)).toBe(true);
    expect(await state(fresh)).toBe('pending');

    await finish(0, 'fresh');
    expect(await fresh).toBe('fresh');
    expect(scheduler.has(0)).toBe(false);
  });
});

describe('ChunkScheduler: retainPrefetches without aborting running downloads', () => {
  it('abortRunningFalse_dropsQueuedPrefetches_leavesRunningOnesRunning', async () => {
    const { scheduler, started, call, finish } = harness(2);
    for (let i = 0; i < 5; i++) scheduler.startPrefetch(i); // 0, 1 running; 2, 3, 4 queued
    expect(scheduler.retainPrefetches((i) => i === 3, false)).toEqual([2, 4]);

    expect(call(0).signal.aborted).toBe(false);
    expect(call(1).signal.aborted).toBe(false);
    expect([0, 1, 2, 3, 4].map((i) => scheduler.has(i))).toEqual([true, true, false, true, false]);
    expect(scheduler.runningIndexes()).toEqual([0, 1]);
    expect(scheduler.counts()).toMatchObject({ running: 2, queued: 1, requiredQueued: 0 });

    // The running ones finish normally; a waiter arriving meanwhile gets the value.
    const on0 = scheduler.waitForChunk(0);
    await finish(0, 'zero');
    expect(await on0).toBe('zero');
    await finish(1);
    expect(started()).toEqual([0, 1, 3]);
    expect(started()).not.toContain(2);
    expect(started()).not.toContain(4);
  });

  it('abortRunningFalse_runningPrefetchStillDroppableByALaterAbortingCall', () => {
    const { scheduler, call } = harness(1);
    scheduler.startPrefetch(0);
    expect(scheduler.retainPrefetches(() => false, false)).toEqual([]);
    expect(call(0).signal.aborted).toBe(false);
    expect(scheduler.retainPrefetches(() => false)).toEqual([0]);
    expect(call(0).signal.aborted).toBe(true);
  });

  it('abortRunningFalse_stillNeverDropsQueuedChunksSomebodyWaitsFor', () => {
    const { scheduler } = harness(1);
    scheduler.startPrefetch(0);
    void scheduler.waitForChunk(1);
    scheduler.startPrefetch(2);
    expect(scheduler.retainPrefetches(() => false, false)).toEqual([2]);
    expect(scheduler.has(1)).toBe(true);
    expect(scheduler.counts()).toMatchObject({ running: 1, queued: 1, requiredQueued: 1 });
  });

  it('abortRunningFalse_freedQueueLetsTheNextRequiredStartWhenASlotFrees', async () => {
    const { scheduler, started, finish } = harness(1);
    scheduler.startPrefetch(0);
    scheduler.startPrefetch(1);
    scheduler.startPrefetch(2);
    scheduler.retainPrefetches(() => false, false);
    const wanted = scheduler.waitForChunk(5);
    await finish(0);
    expect(started()).toEqual([0, 5]);
    await finish(5);
    expect(await wanted).toBe('chunk 5');
    expect(scheduler.counts()).toMatchObject({ running: 0, queued: 0, requiredQueued: 0 });
  });
});

describe('ChunkScheduler: the reason a dropped prefetch is aborted with', () => {
  it('droppedRunningPrefetch_signalReasonIsADroppedPrefetch', () => {
    const { scheduler, call } = harness(1);
    scheduler.startPrefetch(0);
    scheduler.retainPrefetches(() => false);
    expect(call(0).signal.aborted).toBe(true);
    expect(isDroppedPrefetch(call(0).signal.reason)).toBe(true);
  });

  it('withdrawnWaitersChunkDropped_signalReasonIsADroppedPrefetch_notTheWaitersReason', async () => {
    const { scheduler, call } = harness(1);
    const reader = new AbortController();
    const waiting = scheduler.waitForChunk(0, reader.signal);
    const rejection = expect(waiting).rejects.toBe('seeked');
    reader.abort('seeked');
    await rejection;
    scheduler.retainPrefetches(() => false);
    expect(isDroppedPrefetch(call(0).signal.reason)).toBe(true);
  });

  it('abortAll_reasonIsNotADroppedPrefetch', () => {
    const { scheduler, call } = harness(1);
    scheduler.startPrefetch(0);
    scheduler.abortAll();
    expect(call(0).signal.aborted).toBe(true);
    expect(isDroppedPrefetch(call(0).signal.reason)).toBe(false);
  });
});

describe('isDroppedPrefetch', () => {
  it('droppedPrefetch_isAnAbortErrorDOMException_recognised', () => {
    const reason = droppedPrefetch();
    expect(reason).toBeInstanceOf(DOMException);
    expect(reason.name).toBe('AbortError');
    expect(isDroppedPrefetch(reason)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['plainAbortError', new DOMException('aborted', 'AbortError')],
    ['defaultAbortReason', AbortSignal.abort().reason],
    ['sameMessageOtherName', new DOMException('prefetch no longer needed', 'TimeoutError')],
    ['errorWithTheSameMessage', new Error('prefetch no longer needed')],
    ['string', 'prefetch no longer needed'],
    ['undefined', undefined],
  ])('%s_isNotADroppedPrefetch', (_name, reason) => {
    expect(isDroppedPrefetch(reason)).toBe(false);
  });
});

describe('ChunkScheduler peak record', () => {
  it('peakRunning_recordsTheMostDownloadsAtOnce_neverAboveConcurrency', async () => {
    const pending: Array<() => void> = [];
    const scheduler = new ChunkScheduler<number>(
      (i) => new Promise<number>((resolve) => pending.push(() => resolve(i))),
      3,
    );
    for (let i = 0; i < 7; i++) scheduler.startPrefetch(i);
    expect(scheduler.counts().peakRunning).toBe(3);
    while (pending.length > 0) {
      pending.shift()?.();
      await Promise.resolve();
      await Promise.resolve();
    }
    expect(scheduler.counts()).toMatchObject({ running: 0, queued: 0, peakRunning: 3 });
  });
});
