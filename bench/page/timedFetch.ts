import type { Page } from '@playwright/test';

export interface TimedFetch {
  /** From calling `fetch` to the last byte read, `performance.now()` in the page. */
  ms: number;
  /** From calling `fetch` to the response headers. */
  headersMs: number;
  bytes: number;
  status: number;
}

/**
 * `fetch(url)` from inside the page (so a `/stream/` URL goes through the worker; requests made
 * by Playwright itself never do) and read the body to the end, counting bytes without keeping
 * them. Throws unless the status is `expectStatus` and exactly `expectBytes` arrived: a figure
 * for a broken response would be meaningless.
 */
export async function timedFetch(
  page: Page,
  url: string,
  expect: { status: number; bytes: number },
  range: string | null = null,
): Promise<TimedFetch> {
  const r = await page.evaluate(
    async ({ url, range }) => {
      const t0 = performance.now();
      const response = await fetch(url, {
        cache: 'no-store',
        headers: range === null ? {} : { Range: range },
      });
      const headersMs = performance.now() - t0;
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
      }
      return { ms: performance.now() - t0, headersMs, bytes, status: response.status };
    },
    { url, range },
  );
  if (r.status !== expect.status || r.bytes !== expect.bytes) {
    throw new Error(
      `${url}${range ? ` (${range})` : ''}: got ${r.status} with ${r.bytes} bytes, expected ${expect.status} with ${expect.bytes}`,
    );
  }
  return r;
}
