import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleMediaCloser } from '../../../../src/sw/session/IdleMediaCloser.ts';

const IDLE = 60_000;

describe('IdleMediaCloser: a media nobody uses is closed once idle for idleMs', () => {
  let closed: string[];
  let idle: Set<string>;
  let closer: IdleMediaCloser;

  beforeEach(() => {
    vi.useFakeTimers();
    closed = [];
    idle = new Set(['a', 'b']);
    closer = new IdleMediaCloser(IDLE, {
      isIdle: async (key) => idle.has(key),
      close: async (key) => {
        closed.push(key);
      },
    });
  });

  afterEach(() => {
    closer.release();
    vi.useRealTimers();
  });

  it('unused_closedAfterIdleMs_notBefore', async () => {
    closer.unused('a');
    await vi.advanceTimersByTimeAsync(IDLE - 1);
    expect(closed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toEqual(['a']);
    expect(closer.size).toBe(0);
  });

  it('usedAgainBeforeIdleMs_neverClosed', async () => {
    closer.unused('a');
    await vi.advanceTimersByTimeAsync(IDLE / 2);
    closer.used('a');
    await vi.advanceTimersByTimeAsync(10 * IDLE);
    expect(closed).toEqual([]);
    expect(closer.size).toBe(0);
  });

  it('unusedTwice_oneTimerFromTheLastTime', async () => {
    closer.unused('a');
    await vi.advanceTimersByTimeAsync(IDLE / 2);
    closer.unused('a');
    await vi.advanceTimersByTimeAsync(IDLE / 2);
    expect(closed).toEqual([]);
    await vi.advanceTimersByTimeAsync(IDLE / 2);
    expect(closed).toEqual(['a']);
  });

  it('stillDownloading_checkedAgainEveryIdleMs_closedOnceIdle', async () => {
    idle.delete('a');
    closer.unused('a');
    await vi.advanceTimersByTimeAsync(3 * IDLE);
    expect(closed).toEqual([]);
    expect(closer.size).toBe(1);
    idle.add('a');
    await vi.advanceTimersByTimeAsync(IDLE);
    expect(closed).toEqual(['a']);
    expect(closer.size).toBe(0);
  });

  it('keysAreIndependent', async () => {
    closer.unused('a');
    await vi.advanceTimersByTimeAsync(IDLE / 2);
    closer.unused('b');
    await vi.advanceTimersByTimeAsync(IDLE / 2);
    expect(closed).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(IDLE / 2);
    expect(closed).toEqual(['a', 'b']);
  });

  it('release_dropsEveryTimer', async () => {
    closer.unused('a');
    closer.release();
    await vi.advanceTimersByTimeAsync(2 * IDLE);
    expect(closed).toEqual([]);
    expect(closer.size).toBe(0);
  });
});
