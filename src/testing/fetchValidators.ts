import type { PageLike } from './PageLike.ts';
import type { Validators } from './validatorCases.ts';

/**
 * The `ETag` and `Last-Modified` the endpoint sends with its first byte, fetched from inside the
 * page (so a service worker controlling it answers). Only a 200 or 206 counts (an error page's
 * validators are not the representation's), and its body is not read. A cross-origin URL must
 * expose `ETag` (`Access-Control-Expose-Headers`; `Last-Modified` is CORS-safelisted): unexposed,
 * it reads as null and its cases are left out.
 */
export function fetchValidators(page: PageLike, url: string): Promise<Validators> {
  return page.evaluate(async (url) => {
    const response = await fetch(url, { headers: { Range: 'bytes=0-0' }, cache: 'no-store' });
    await response.body?.cancel();
    const ok = response.status === 200 || response.status === 206;
    return {
      etag: ok ? response.headers.get('ETag') : null,
      lastModified: ok ? response.headers.get('Last-Modified') : null,
    };
  }, url);
}
