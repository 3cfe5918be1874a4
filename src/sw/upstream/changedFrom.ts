import type { UpstreamInfo } from './UpstreamInfo.ts';

/**
 * Why `response` is not the representation the probe saw, or null: a readable ETag or
 * Last-Modified (the latter is CORS-safelisted, so readable even when the upstream exposes
 * nothing) that differs, or a total size that differs (when one is expected). Unreadable
 * validators prove nothing.
 *
 * @param total - the representation's size as this response states it (Content-Range's total
 *   on a 206, Content-Length on a 200), or null when it does not say.
 */
export function changedFrom(
  response: Response,
  total: number | null,
  expected: Pick<UpstreamInfo, 'etag' | 'lastModified'> & { size: number | null },
): string | null {
  const etag = response.headers.get('ETag');
  if (etag !== null && expected.etag !== null && etag !== expected.etag) {
    return `ETag changed from ${expected.etag} to ${etag}`;
  }
  const modified = response.headers.get('Last-Modified');
  if (modified !== null && expected.lastModified !== null && modified !== expected.lastModified) {
    return `Last-Modified changed from ${expected.lastModified} to ${modified}`;
  }
  if (total !== null && expected.size !== null && total !== expected.size)
    return `size changed from ${expected.size} to ${total}`;
  return null;
}
