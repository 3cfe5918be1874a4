import type { Page } from '@playwright/test';

export interface TimedRanges {
  /** All requests, one after another: first `fetch` to the last byte of the last body. */
  ms: number;
  requests: number;
  bytes: number;
}

/**
 * Fetch `[start, end]` ranges of `url` from inside the page, one after another, each body read
 * to the end. Throws unless every answer is a 206 with exactly the bytes asked for.
 */
export async function timedRanges(
  page: Page,
  url: string,
  ranges: [number, number][],
): Promise<TimedRanges> {
  const r = await page.evaluate(
    async ({ url, ranges }) => {
      let bytes = 0;
      let bad: string | null = null;
      const t0 = performance.now();
      for (const [start, end] of ranges) {
        const response = await fetch(url, {
          cache: 'no-store',
          headers: { Range: `bytes=${start}-${end}` },
        });
        const n = (await response.arrayBuffer()).byteLength;
        bytes += n;
        if (bad === null && (response.status !== 206 || n !== end - start + 1))
          bad = `bytes=${start}-${end}: ${response.status} with ${n} bytes`;
      }
      return { ms: performance.now() - t0, bytes, bad };
    },
    { url, ranges },
  );
  if (r.bad !== null) throw new Error(`${url}: ${r.bad}`);
  return { ms: r.ms, requests: ranges.length, bytes: r.bytes };
}
