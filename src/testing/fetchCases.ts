import type { PageLike } from './PageLike.ts';
import type { RangeCase } from './rangeCases.ts';

/** What one case's fetch, made inside the page, saw. */
export interface FetchedCase {
  status: number;
  headers: Record<string, string>;
  /** Bytes received (0 for HEAD). */
  length: number;
  /** SHA-256 of the body, hex. */
  sha256: string;
  /** The body in base64 when it is `multipart/byteranges` (to check its parts), else null. */
  multipart: string | null;
}

/**
 * Fetch every case from inside the page, one after another, so a service worker controlling it
 * answers them (requests a test driver makes itself skip the worker). Hashing in the page keeps
 * large bodies out of the driver's channel.
 */
export function fetchCases(
  page: PageLike,
  url: string,
  cases: RangeCase[],
): Promise<FetchedCase[]> {
  const requests = cases.map((c) => ({
    method: c.method,
    range: c.range,
    headers: c.headers ?? {},
  }));
  return page.evaluate(
    async ({ url, requests }) => {
      const hex = (buffer: ArrayBuffer) =>
        [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
      const out = [];
      for (const { method, range, headers } of requests) {
        const response = await fetch(url, {
          method,
          headers: range === null ? headers : { ...headers, Range: range },
          cache: 'no-store',
        });
        const body = await response.arrayBuffer();
        const type = response.headers.get('Content-Type') ?? '';
        let multipart: string | null = null;
        if (type.toLowerCase().startsWith('multipart/byteranges')) {
          let binary = '';
          for (const byte of new Uint8Array(body)) binary += String.fromCharCode(byte);
          multipart = btoa(binary);
        }
        out.push({
          status: response.status,
          headers: Object.fromEntries(response.headers),
          length: body.byteLength,
          sha256: hex(await crypto.subtle.digest('SHA-256', body)),
          multipart,
        });
      }
      return out;
    },
    { url, requests },
  );
}
