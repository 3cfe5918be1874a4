import type { CacheUsage } from '../../src/shared/types.ts';
import { syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage, sessionStats } from './support/inPage.ts';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/**
 * A 6 GiB media (the origin's synthetic bytes, never on disk) through the proxy with a 256 MiB
 * budget: offsets past 2^31 and 2^32 are exact (no 32-bit arithmetic anywhere on the byte path),
 * eviction holds the budget while more than the budget streams through, and the sizes and
 * offsets the page sees are exact.
 */
test('sixGiBFile_rangesAcross2pow31And2pow32_byteExact_budgetHolds', async ({
  proxyPage,
  origin,
}) => {
  test.setTimeout(180_000);
  const size = 6 * GiB;
  const budget = 256 * MiB;
  await proxyPage.evaluate((bytes) => window.chunkwise?.cache.setBudget(bytes), budget);
  const url = `${origin.url}/synthetic/${size}?seed=96`;
  const session = await createSession(proxyPage, url, { chunkSize: MiB, prefetch: 4 });

  const ranges: [number, number][] = [
    [2 ** 31 - 1000, 2 ** 31 + 1000], // straddles 2^31 (a signed 32-bit overflow)
    [2 ** 32 - 3 * MiB - 7, 2 ** 32 + 2 * MiB + 5], // straddles 2^32 across chunk boundaries
    [size - 1500, size - 1], // the last bytes
    [5 * GiB + 12345, 5 * GiB + 12345], // one byte far out
  ];
  const got = await digestRangesInPage(
    proxyPage,
    session.url,
    ranges.map(([a, b]) => `bytes=${a}-${b}`),
  );
  ranges.forEach(([a, b], k) => {
    expect(got[k]?.status).toBe(206);
    expect(got[k]?.contentRange).toBe(`bytes ${a}-${b}/${size}`);
    expect(got[k]?.sha256).toBe(syntheticDigest(96, a, b));
  });
  const [suffix] = await digestRangesInPage(proxyPage, session.url, ['bytes=-700']);
  expect(suffix?.contentRange).toBe(`bytes ${size - 700}-${size - 1}/${size}`);
  expect(suffix?.sha256).toBe(syntheticDigest(96, size - 700, size - 1));

  // More than the budget streams through, starting past 2^32: eviction keeps it bounded.
  const from = 2 ** 32 + 17;
  const to = from + budget + 64 * MiB;
  const [big] = await digestRangesInPage(proxyPage, session.url, [`bytes=${from}-${to}`]);
  expect(big?.sha256).toBe(syntheticDigest(96, from, to));

  const usage = await proxyPage.evaluate(
    () => window.chunkwise?.cache.usage() as Promise<CacheUsage>,
  );
  expect(usage.peakStoredBytes).toBeLessThanOrEqual(budget);
  expect(usage.storedBytes).toBeLessThanOrEqual(budget);
  const entry = (await proxyPage.evaluate(() => window.chunkwise?.cache.list()))?.find(
    (e) => e.key === session.cacheKey,
  );
  expect(entry?.size).toBe(size);
  expect(entry?.chunkCount).toBe(6 * 1024);
  // What is stored of the big read sits at its exact indexes past 2^32 / 1 MiB (which of them
  // survived eviction is the LRU's choice; they are all within the read).
  const firstIndex = Math.floor(from / MiB);
  const lastIndex = Math.floor(to / MiB);
  const past2pow32 = (entry?.storedChunkRanges ?? []).filter(([, b]) => b >= 4096);
  expect(past2pow32.length).toBeGreaterThan(0);
  for (const [a, b] of past2pow32) {
    expect(a).toBeGreaterThanOrEqual(firstIndex - 3); // or the 2^32 straddle's chunks
    expect(b).toBeLessThanOrEqual(lastIndex + 4); // + the prefetch window after the read
  }
  const stats = await sessionStats(proxyPage, session.id);
  expect(stats.size).toBe(size);
  expect(stats.chunks.total).toBe(6 * 1024);
});
