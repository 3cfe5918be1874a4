import { describe, expect, it } from 'vitest';
import { resolveBudget } from '../../../../src/sw/cache/resolveBudget.ts';

const MB = 1_000_000;

describe('resolveBudget', () => {
  it.each<[string, { quota?: number; usage?: number } | null]>([
    ['null', null],
    ['withoutQuota', {}],
    ['usageOnly', { usage: 5 * MB }],
  ])('estimate %s_configuredBudgetKept', (_name, estimate) => {
    expect(resolveBudget(100 * MB, estimate, 0)).toBe(100 * MB);
  });

  it.each<[string, number, { quota: number; usage?: number }, number, number]>([
    // (quota - others) * 0.9 is far above the configured budget: configured wins.
    ['largeQuota_configuredKept', 100 * MB, { quota: 10_000 * MB, usage: 0 }, 0, 100 * MB],
    // 0.9 * (100 - 0) = 90 < 200.
    [
      'quotaBelowConfigured_ninetyPercentOfQuota',
      200 * MB,
      { quota: 100 * MB, usage: 0 },
      0,
      90 * MB,
    ],
    // others = 40 → 0.9 * 60 = 54.
    [
      'othersUsage_isSubtractedBeforeTheMargin',
      200 * MB,
      { quota: 100 * MB, usage: 40 * MB },
      0,
      54 * MB,
    ],
    // usage 40 of which 30 are our chunks → others 10 → 0.9 * 90 = 81.
    [
      'ownBytes_areNotCountedAsOthers',
      200 * MB,
      { quota: 100 * MB, usage: 40 * MB },
      30 * MB,
      81 * MB,
    ],
    // all of the usage is ours: others 0 → 0.9 * 100 = 90.
    ['usageAllOurs_othersZero', 200 * MB, { quota: 100 * MB, usage: 30 * MB }, 30 * MB, 90 * MB],
    // the estimate lags behind our writes (own > usage): others never go negative.
    [
      'ownBytesAboveUsage_othersClampedToZero',
      200 * MB,
      { quota: 100 * MB, usage: 10 * MB },
      50 * MB,
      90 * MB,
    ],
    // no usage reported: nobody else counts.
    ['missingUsage_treatedAsZero', 200 * MB, { quota: 100 * MB }, 0, 90 * MB],
    // exact capping boundary: 0.9 * 100 = 90 = configured.
    ['grantedEqualsConfigured_thatValue', 90 * MB, { quota: 100 * MB, usage: 0 }, 0, 90 * MB],
    // fractional result is floored to whole bytes: 0.9 * 15 = 13.5 → 13.
    ['fractionalGrant_flooredToBytes', 1000, { quota: 15, usage: 0 }, 0, 13],
  ])('%s', (_name, configured, estimate, own, expected) => {
    expect(resolveBudget(configured, estimate, own)).toBe(expected);
  });

  it.each<[string, { quota: number; usage?: number }]>([
    ['othersUseMoreThanTheQuota', { quota: 100 * MB, usage: 150 * MB }],
    ['zeroQuota', { quota: 0, usage: 0 }],
    ['othersUseExactlyTheQuota', { quota: 100 * MB, usage: 100 * MB }],
  ])('%s_budgetIsZero_neverNegative', (_name, estimate) => {
    expect(resolveBudget(200 * MB, estimate, 0)).toBe(0);
  });

  it('zeroConfigured_staysZero_whateverTheQuota', () => {
    expect(resolveBudget(0, { quota: 100 * MB, usage: 0 }, 0)).toBe(0);
    expect(resolveBudget(0, null, 0)).toBe(0);
  });
});
