/**
 * `If-Match` and `If-None-Match` evaluation (RFC 9110 §13.1.1, §13.1.2), the origin's own
 * reading, kept apart from the worker's (`src/sw/http/preconditions.ts`) so the browser tests
 * compare the proxy with an independent reference.
 *
 * The origin always has a current representation with a strong ETag, so:
 * - `If-Match: *` holds; a list holds when one of its tags equals the ETag by strong comparison
 *   (a weak tag never does). False → 412.
 * - `If-None-Match: *` is false; a list is false when one of its tags equals the ETag by weak
 *   comparison (the opaque parts equal, `W/` ignored). False → 304 for GET and HEAD.
 * `If-None-Match` is only evaluated when `If-Match` holds or is absent (§13.2.2).
 */

/** The status the preconditions call for (412, 304), or null to answer as usual. */
export function preconditionStatus(
  ifMatch: string | undefined,
  ifNoneMatch: string | undefined,
  etag: string,
): 412 | 304 | null {
  if (ifMatch !== undefined && !holds(ifMatch, (tag) => tag === etag)) return 412;
  if (ifNoneMatch !== undefined && holds(ifNoneMatch, (tag) => opaque(tag) === opaque(etag)))
    return 304;
  return null;
}

/** Whether `*` or some listed tag satisfies `equal` (split at commas: the origin's tags have none). */
function holds(field: string, equal: (tag: string) => boolean): boolean {
  if (field.trim() === '*') return true;
  return field
    .split(',')
    .map((item) => item.trim())
    .some((tag) => tag !== '' && equal(tag));
}

/** The tag without its weakness marker. */
function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
