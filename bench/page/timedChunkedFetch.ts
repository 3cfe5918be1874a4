import type { Page } from '@playwright/test';

/**
 * Read bytes `[0, total)` of `url` from inside the page as the proxy reads an upstream: ranges of
 * `unit` bytes, `concurrency` requests at a time, each body read to the end (counted, not kept).
 * Resolves with the ms from the first `fetch` to the last byte; throws unless every answer is a
 * 206 with exactly the bytes asked for.
 */
export async function timedChunkedFetch(
  page: Page,
  url: string,
  total: number,
  unit: number,
  concurrency: number,
): Promise<number> {
  const r = await page.evaluate(
    async ({ url, total, unit, concurrency }) => {
      let next = 0;
      let bad: string | null = null;
      const one = async (start: number): Promise<void> => {
        const end = Math.min(start + unit, total) - 1;
        const response = await fetch(url, {
          cache: 'no-store',
          headers: { Range: `bytes=${start}-${end}` },
        });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        let n = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          n += value.byteLength;
        }
        if (bad === null && (response.status !== 206 || n !== end - start + 1))
          bad = `bytes=${start}-${end}: ${response.status} with ${n} bytes`;
      };
      const lane = async (): Promise<void> => {
        while (next < total) {
          const start = next;
          next += unit;
          await one(start);
        }
      };
      const t0 = performance.now();
      await Promise.all(Array.from({ length: concurrency }, lane));
      return { ms: performance.now() - t0, bad };
    },
    { url, total, unit, concurrency },
  );
  if (r.bad !== null) throw new Error(`${url}: ${r.bad}`);
  return r.ms;
}
