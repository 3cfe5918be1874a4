/** Which body a chunk download reads, and the speed record it decides from. Pure. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionSpeed, MAX_RATE_AGE_MS } from '../../../../src/sw/media/ConnectionSpeed.ts';
import {
  chooseChunkBody,
  NATIVE_MAX_EXPECTED_MS,
} from '../../../../src/sw/media/chooseChunkBody.ts';

const STALL = 20_000;

describe('chooseChunkBody', () => {
  it.each<[string, boolean, number | null, number, 'bytes' | 'native']>([
    ['readerWaiting_fastUpstream', true, 10, STALL, 'bytes'],
    ['noReader_unmeasuredUpstream', false, null, STALL, 'bytes'],
    ['noReader_fastUpstream', false, 10, STALL, 'native'],
    ['noReader_exactlyAtTheLimit', false, NATIVE_MAX_EXPECTED_MS, STALL, 'native'],
    ['noReader_justPastTheLimit', false, NATIVE_MAX_EXPECTED_MS + 1, STALL, 'bytes'],
    ['noReader_shortStallTimeout_quarterOfIt', false, 50, 200, 'native'],
    ['noReader_shortStallTimeout_pastAQuarter', false, 51, 200, 'bytes'],
  ])('%s_%s_%s', (_name, readerWaiting, expectedMs, stallTimeoutMs, body) => {
    expect(chooseChunkBody({ readerWaiting, expectedMs, stallTimeoutMs })).toBe(body);
  });

  it.each<[string, number | null, number | null, 'bytes' | 'native']>([
    ['mediaSlowerThanTheOrigin_mediaDecides', 10, NATIVE_MAX_EXPECTED_MS + 1, 'bytes'],
    ['mediaFasterThanTheOrigin_originDecides', NATIVE_MAX_EXPECTED_MS + 1, 10, 'bytes'],
    ['mediaFast_originFast', 10, 20, 'native'],
    ['mediaUnmeasured_originDecides', 10, null, 'native'],
    ['originUnmeasured_mediaFast_stillUnmeasured', null, 10, 'bytes'],
  ])('%s', (_name, expectedMs, mediaExpectedMs, body) => {
    expect(
      chooseChunkBody({ readerWaiting: false, expectedMs, mediaExpectedMs, stallTimeoutMs: STALL }),
    ).toBe(body);
  });
});

describe('ConnectionSpeed', () => {
  it('fewerThanDepthDownloads_unmeasured', () => {
    const speed = new ConnectionSpeed(3);
    speed.record(1000, 10);
    speed.record(1000, 10);
    expect(speed.expectedMs(1000)).toBeNull();
  });

  it('fewerDownloadsAskedFor_measuredWithThem', () => {
    const speed = new ConnectionSpeed(4);
    expect(speed.expectedMs(1000, 1)).toBeNull();
    speed.record(1000, 50);
    expect(speed.expectedMs(1000, 1)).toBe(50);
    expect(speed.expectedMs(1000)).toBeNull();
    expect(speed.expectedMs(1000, 0)).toBe(50); // at least one, whatever is asked
  });

  it('expectsTheSlowestRecentRate', () => {
    const speed = new ConnectionSpeed(3);
    speed.record(1000, 10); // 100 bytes/ms
    speed.record(1000, 40); // 25 bytes/ms: the slowest
    speed.record(2000, 10); // 200 bytes/ms
    expect(speed.expectedMs(1000)).toBe(40);
  });

  it('aSlowDownloadLeavesOnceDepthNewerOnesCame', () => {
    const speed = new ConnectionSpeed(2);
    speed.record(1000, 1000);
    speed.record(1000, 10);
    expect(speed.expectedMs(1000)).toBe(1000);
    speed.record(1000, 10);
    expect(speed.expectedMs(1000)).toBe(10);
  });

  it('ignoresEmptyOrNonsenseRecords', () => {
    const speed = new ConnectionSpeed(1);
    speed.record(0, 10);
    speed.record(1000, Number.NaN);
    expect(speed.expectedMs(1000)).toBeNull();
    speed.record(1000, 0); // faster than the clock can tell: counted as 1 ms
    expect(speed.expectedMs(1000)).toBe(1);
  });

  describe('age', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('recordsOlderThanTheMaxAge_unmeasuredAgain', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const speed = new ConnectionSpeed(2);
      speed.record(1000, 10);
      speed.record(1000, 10);
      vi.advanceTimersByTime(MAX_RATE_AGE_MS);
      expect(speed.expectedMs(1000)).toBe(10); // exactly the max age still counts
      vi.advanceTimersByTime(1);
      expect(speed.expectedMs(1000)).toBeNull();
    });

    it('onlyTheStaleOnesGo_depthFreshOnesMeasureAgain', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const speed = new ConnectionSpeed(2);
      speed.record(1000, 1000); // slow, and soon stale
      vi.advanceTimersByTime(MAX_RATE_AGE_MS / 2);
      speed.record(1000, 10);
      vi.advanceTimersByTime(MAX_RATE_AGE_MS / 2 + 1);
      expect(speed.expectedMs(1000)).toBeNull(); // one fresh rate is fewer than the depth
      speed.record(1000, 20);
      expect(speed.expectedMs(1000)).toBe(20); // the slow stale one no longer counts
    });

    it('clockSetBack_recordsStale', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const speed = new ConnectionSpeed(1);
      speed.record(1000, 10);
      vi.setSystemTime(Date.now() - MAX_RATE_AGE_MS - 1);
      expect(speed.expectedMs(1000)).toBeNull();
    });
  });
});
