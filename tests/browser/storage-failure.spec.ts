import type { CacheUsage } from '../../src/shared/types.ts';
import { syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage, sessionStats } from './support/inPage.ts';

const CHUNK = 256 * 1024;
const SIZE = 48 * CHUNK + 999; // 12 MiB: four times the quota given below

/**
 * Give the app's origin a real browser quota of `bytes` (CDP Storage.overrideQuotaForOrigin).
 * Chromium enforces it on writes (QuotaExceededError) while `estimate()` keeps reporting its
 * optimistic figure: exactly the situation README "Platform facts" describes for real profiles.
 */
async function overrideQuota(page: import('@playwright/test').Page, bytes: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(page.url()).origin,
    quotaSize: bytes,
  });
  // No detach: the override lives only as long as this CDP session.
}

async function readAll(page: import('@playwright/test').Page, url: string) {
  return page.evaluate(async (url) => {
    const response = await fetch(url);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
    }
    return { status: response.status, total };
  }, url);
}

test('budgetBrowserCannotGrant_quotaExceeded_budgetLoweredAndPlaysOn', async ({
  proxyPage,
  origin,
}) => {
  await overrideQuota(proxyPage, 3 * 1024 * 1024);
  // The configured default (2 GiB) is far above the 3 MiB granted, and estimate() does not say
  // so: the first write past 3 MiB meets a real QuotaExceededError. The cache lowers its budget
  // to what fit, evicts, retries once, and keeps serving (from memory when nothing fits).
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${SIZE}?seed=66`, {
    chunkSize: CHUNK,
    prefetch: 2,
  });
  const read = await readAll(proxyPage, session.url);
  expect(read).toEqual({ status: 200, total: SIZE });
  const usage = (await proxyPage.evaluate(() => window.chunkwise?.cache.usage())) as CacheUsage;
  expect(usage.configuredBudget).toBe(2 ** 31);
  expect(usage.quotaErrors).toBeGreaterThan(0);
  expect(usage.budget).toBeLessThan(3 * 1024 * 1024);
  // The budget may have been lowered more than once (each refused write teaches a lower
  // ceiling), so the peak reached before the last lowering can exceed the final budget; what
  // holds is the browser's own limit, and the stored total under the final budget.
  expect(usage.peakStoredBytes).toBeLessThanOrEqual(3 * 1024 * 1024);
  expect(usage.storedBytes).toBeLessThanOrEqual(usage.budget);
  const ranges = ['bytes=0-999', `bytes=${20 * CHUNK - 3}-${30 * CHUNK}`, `bytes=${SIZE - 5000}-`];
  const got = await digestRangesInPage(proxyPage, session.url, ranges);
  expect(got[0]?.sha256).toBe(syntheticDigest(66, 0, 999));
  expect(got[1]?.sha256).toBe(syntheticDigest(66, 20 * CHUNK - 3, 30 * CHUNK));
  expect(got[2]?.sha256).toBe(syntheticDigest(66, SIZE - 5000, SIZE - 1));
  const stats = await sessionStats(proxyPage, session.id);
  expect(stats.failedChunks).toEqual([]);
  expect(stats.fallbacks).toBe(0);
});
