import type { PageLike } from './PageLike.ts';
import type { Validators } from './validatorCases.ts';

/**
 * The `ETag` and `Last-Modified` the endpoint sends with its first byte, fetched from inside the
 * page (so a service worker controlling it answers). A cross-origin URL must expose them
 * (`Access-Control-Expose-Headers`); unexposed, they read as null and their cases are left out.
 */
export function fetchValidators(page: PageLike, url: string): Promise<Validators> {
  return page.evaluate(async (url) => {
    const response = await fetch(url, { headers: { Range: 'bytes=0-0' }, cache: 'no-store' });
    await response.arrayBuffer();
    return {
      etag: response.headers.get('ETag'),
      lastModified: response.headers.get('Last-Modified'),
    };
  }, url);
}
