/**
 * `TouchPersister` under vitest's fake timers: the tests run the pending timer by hand
 * (`runOnlyPendingTimersAsync`) and count timers, and never assert on elapsed time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TouchPersister } from '../../../../src/sw/cache/TouchPersister.ts';

type Touches = [key: string, at: number][];

/** A persister whose writes are recorded (and fail while `failing`). */
function persister() {
  const calls: Touches[] = [];
  const state = { failing: false };
  const persist = vi.fn(async (touches: Touches) => {
    calls.push(touches);
    if (state.failing) throw new Error('store gone');
  });
  return { touches: new TouchPersister(persist), persist, calls, state };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('TouchPersister', () => {
  it('record_persistsNothingAtOnce_oneTimerForManyTouches', () => {
    const { touches, persist } = persister();
    touches.record('a', 1);
    touches.record('b', 2);
    touches.record('a', 3);
    expect(persist).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
  });

  it('timerFires_oneWriteCoalescedPerMedia_latestTimeWins', async () => {
    const { touches, calls } = persister();
    touches.record('a', 1);
    touches.record('b', 2);
    touches.record('a', 3);
    await vi.runOnlyPendingTimersAsync();
    expect(calls).toEqual([
      [
        ['a', 3],
        ['b', 2],
      ],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('touchesAfterAWrite_goInTheNextWrite_only', async () => {
    const { touches, calls } = persister();
    touches.record('a', 1);
    await vi.runOnlyPendingTimersAsync();
    touches.record('b', 2);
    expect(vi.getTimerCount()).toBe(1);
    await vi.runOnlyPendingTimersAsync();
    expect(calls).toEqual([[['a', 1]], [['b', 2]]]);
  });

  it('flush_writesAtOnce_cancelsTheTimer', async () => {
    const { touches, calls } = persister();
    touches.record('a', 1);
    touches.record('b', 2);
    await touches.flush();
    expect(calls).toEqual([
      [
        ['a', 1],
        ['b', 2],
      ],
    ]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(1);
  });

  it('flushWithNothingRecorded_writesNothing', async () => {
    const { touches, persist } = persister();
    await touches.flush();
    touches.record('a', 1);
    await touches.flush();
    await touches.flush();
    expect(persist).toHaveBeenCalledTimes(1);
  });

  it('release_stopsTheTimer_dropsWhatWasRecorded', async () => {
    const { touches, persist } = persister();
    touches.record('a', 1);
    touches.release();
    expect(vi.getTimerCount()).toBe(0);
    await vi.runAllTimersAsync();
    await touches.flush();
    expect(persist).not.toHaveBeenCalled();
  });

  it('failedWrite_flushResolves_timerWriteRaisesNothing_laterTouchesStillWritten', async () => {
    const { touches, calls, state } = persister();
    state.failing = true;
    touches.record('a', 1);
    await expect(touches.flush()).resolves.toBeUndefined();
    touches.record('b', 2);
    // A rejection from the timer's write would fail the test as unhandled.
    await vi.runOnlyPendingTimersAsync();
    state.failing = false;
    touches.record('c', 3);
    await touches.flush();
    expect(calls).toEqual([[['a', 1]], [['b', 2]], [['c', 3]]]);
  });
});
