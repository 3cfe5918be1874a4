/**
 * `QuotaBudget`: the configured budget, lowered to what the browser's estimate grants and to the
 * ceiling a `QuotaExceededError` taught (which no later estimate can raise).
 */
import { describe, expect, it } from 'vitest';
import { type Estimate, isQuotaError, QuotaBudget } from '../../../../src/sw/cache/QuotaBudget.ts';

type EstimateValue = Awaited<ReturnType<Estimate>>;

/** A budget whose estimate the test changes by assigning `value`. */
function budget(configured: number, value: EstimateValue = null) {
  const estimate = { value };
  return { budget: new QuotaBudget(configured, async () => estimate.value), estimate };
}

describe('QuotaBudget: estimate', () => {
  it('beforeAnyRefresh_effectiveIsTheConfiguredBudget', async () => {
    const { budget: b } = budget(1000);
    expect(b.effective).toBe(1000);
    expect(await b.usage()).toEqual({
      budget: 1000,
      configuredBudget: 1000,
      browserQuota: null,
      browserUsage: null,
      quotaErrors: 0,
    });
  });

  it.each<[string, EstimateValue, number, number]>([
    ['noEstimate_configuredKept', null, 0, 1000],
    ['largeQuota_configuredKept', { quota: 10 ** 12, usage: 0 }, 0, 1000],
    // quota 500, usage 600 of which 500 are ours → others 100 → 0.9 × 400 = 360.
    ['quotaBelowConfigured_lowered', { quota: 500, usage: 600 }, 500, 360],
    ['othersFillTheQuota_zero', { quota: 500, usage: 900 }, 0, 0],
  ])('refresh_%s', async (_name, value, ownBytes, expected) => {
    const { budget: b } = budget(1000, value);
    await b.refresh(ownBytes);
    expect(b.effective).toBe(expected);
    expect(await b.usage()).toMatchObject({
      budget: expected,
      configuredBudget: 1000,
      browserQuota: value?.quota ?? null,
      browserUsage: value?.usage ?? null,
    });
  });

  it('estimateRejects_treatedAsNone', async () => {
    const b = new QuotaBudget(700, async () => {
      throw new Error('no storage manager');
    });
    await b.refresh(0);
    expect(await b.usage()).toMatchObject({ budget: 700, browserQuota: null, browserUsage: null });
  });

  it('configuredChanged_refresh_usesTheNewOne', async () => {
    const { budget: b } = budget(1000);
    b.configured = 300;
    await b.refresh(0);
    expect({ effective: b.effective, configured: b.configured }).toEqual({
      effective: 300,
      configured: 300,
    });
    b.configured = 5000;
    await b.refresh(0);
    expect(b.effective).toBe(5000);
  });

  it('estimateImprovesAgain_refreshRaisesTheBudgetBack', async () => {
    const { budget: b, estimate } = budget(1000, { quota: 500, usage: 0 });
    await b.refresh(0);
    expect(b.effective).toBe(450);
    estimate.value = { quota: 10 ** 12, usage: 0 };
    await b.refresh(0);
    expect(b.effective).toBe(1000);
  });
});

describe('QuotaBudget: refused', () => {
  it('refused_effectiveLoweredToWhatWasStored_countsTheError', async () => {
    const { budget: b } = budget(1000);
    b.refused(600);
    expect(b.effective).toBe(600);
    expect(await b.usage()).toMatchObject({ budget: 600, configuredBudget: 1000, quotaErrors: 1 });
  });

  it('ceiling_refreshCannotRaiseIt_evenWithAHugeEstimateOrBudget', async () => {
    const { budget: b } = budget(1000, { quota: 10 ** 12, usage: 0 });
    b.refused(600);
    await b.refresh(600);
    expect(b.effective).toBe(600);
    b.configured = 10_000;
    await b.refresh(600);
    expect(b.effective).toBe(600);
  });

  it('laterRefusals_onlyLowerTheCeiling', async () => {
    const { budget: b } = budget(1000);
    b.refused(600);
    b.refused(400);
    b.refused(800);
    await b.refresh(0);
    expect(b.effective).toBe(400);
    expect(b.quotaErrors).toBe(3);
  });

  it('estimateBelowTheCeiling_wins_untilItImproves', async () => {
    const { budget: b, estimate } = budget(1000, { quota: 400, usage: 0 });
    await b.refresh(0);
    expect(b.effective).toBe(360);
    b.refused(700); // above what the estimate allows: the budget stays 360
    expect(b.effective).toBe(360);
    estimate.value = null;
    await b.refresh(0);
    expect(b.effective).toBe(700);
  });

  it('configuredBelowTheCeiling_wins', async () => {
    const { budget: b } = budget(1000);
    b.refused(600);
    b.configured = 200;
    await b.refresh(0);
    expect(b.effective).toBe(200);
  });
});

describe('isQuotaError', () => {
  it.each<[string, unknown, boolean]>([
    ['quotaExceededDomException', new DOMException('full', 'QuotaExceededError'), true],
    [
      'errorNamedQuotaExceededError',
      Object.assign(new Error('full'), { name: 'QuotaExceededError' }),
      true,
    ],
    ['unknownError', new DOMException('disk fault', 'UnknownError'), false],
    ['abortError', new DOMException('aborted', 'AbortError'), false],
    ['invalidStateError', new DOMException('closing', 'InvalidStateError'), false],
    ['plainErrorMentioningQuota', new Error('QuotaExceededError'), false],
    ['theNameAsAString', 'QuotaExceededError', false],
    ['null', null, false],
    ['undefined', undefined, false],
  ])('%s_%s', (_name, error, expected) => {
    expect(isQuotaError(error)).toBe(expected);
  });
});
