/** `backoff` on fake timers with a pinned `Math.random`: no real time passes. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoff } from '../../../../src/sw/media/backoff.ts';

/** Whether `promise` has settled, observed without waiting for it. */
function track(promise: Promise<void>) {
  const seen = { settled: false, error: undefined as unknown };
  promise.then(
    () => {
      seen.settled = true;
    },
    (error: unknown) => {
      seen.settled = true;
      seen.error = error;
    },
  );
  return seen;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('backoff', () => {
  it.each([
    // [random, base, attempt, expected ms]: base * 2^attempt * (0.75 + random * 0.5)
    [0.5, 100, 0, 100],
    [0.5, 100, 3, 800],
    [0, 100, 2, 300],
    [1, 100, 2, 500],
  ])('random %d base %i attempt %i_waitsExactly %i ms', async (random, base, attempt, ms) => {
    vi.spyOn(Math, 'random').mockReturnValue(random);
    const seen = track(backoff(base, attempt, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(ms - 1);
    expect(seen.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual({ settled: true, error: undefined });
  });

  it('alreadyAborted_rejectsWithTheReason_withoutATimer', async () => {
    const controller = new AbortController();
    controller.abort('closed');
    await expect(backoff(100, 0, controller.signal)).rejects.toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('abortWhileWaiting_rejectsAtOnce_andClearsTheTimer', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const controller = new AbortController();
    const waiting = backoff(1000, 0, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    const rejection = expect(waiting).rejects.toBe('seeked');
    controller.abort('seeked');
    await rejection;
    expect(vi.getTimerCount()).toBe(0);
  });
});
