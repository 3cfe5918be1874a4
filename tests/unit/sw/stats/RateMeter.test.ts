import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../../src/sw/stats/RateMeter.ts';

/** A RateMeter on a clock the test moves by hand. */
function meter(windowMs = 3000) {
  const clock = { now: 0 };
  return { clock, rate: new RateMeter(windowMs, () => clock.now) };
}

describe('RateMeter', () => {
  it('noSamples_rateIsZero', () => {
    expect(meter().rate.rate()).toBe(0);
  });

  it('singleFreshSample_isSpreadOverAtLeast250ms', () => {
    const { rate } = meter();
    rate.add(1000);
    expect(rate.rate()).toBe(4000);
  });

  it('samplesOverOneSecond_rateIsBytesPerSecond', () => {
    const { clock, rate } = meter();
    rate.add(1000);
    clock.now = 1000;
    expect(rate.rate()).toBe(1000);
  });

  it('severalSamples_areSummedOverTheSpanFromTheOldest', () => {
    const { clock, rate } = meter();
    rate.add(1000);
    clock.now = 1000;
    rate.add(2000);
    clock.now = 2000;
    expect(rate.rate()).toBe(1500);
  });

  it('sampleOlderThanTheWindow_isForgotten', () => {
    const { clock, rate } = meter();
    rate.add(1000);
    clock.now = 1000;
    rate.add(2000);
    clock.now = 3500; // cutoff 500: the sample at 0 leaves, 2000 bytes over 2500 ms remain
    expect(rate.rate()).toBe(800);
  });

  it('sampleExactlyAtTheWindowEdge_isKept', () => {
    const { clock, rate } = meter();
    rate.add(1500);
    clock.now = 3000;
    expect(rate.rate()).toBe(500);
  });

  it('idleForAWholeWindow_rateIsZero', () => {
    const { clock, rate } = meter();
    rate.add(1000);
    clock.now = 3001;
    expect(rate.rate()).toBe(0);
  });

  it('customWindow_isHonoured', () => {
    const { clock, rate } = meter(500);
    rate.add(100);
    clock.now = 400;
    rate.add(300);
    clock.now = 600; // cutoff 100: only the sample at 400 is left, span 200 → floor 250 ms
    expect(rate.rate()).toBe(1200);
  });

  it('addAfterIdle_startsAFreshWindow', () => {
    const { clock, rate } = meter();
    rate.add(5000);
    clock.now = 10_000;
    rate.add(500);
    clock.now = 10_500;
    expect(rate.rate()).toBe(1000);
  });
});
