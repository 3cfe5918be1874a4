import { StreamProxyError } from './StreamProxyError.ts';

/** `url` resolved against the page (`document.baseURI`), or `bad-argument` naming `field`. */
export function resolveUrl(field: string, url: string): string {
  try {
    return new URL(url, globalThis.document?.baseURI ?? location.href).href;
  } catch {
    throw new StreamProxyError(
      'bad-argument',
      `${field} is not a URL: ${String(url).slice(0, 200)}`,
      {
        field,
      },
    );
  }
}
