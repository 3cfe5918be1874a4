/**
 * Precondition evaluation (RFC 9110 §13.1.1–§13.1.4, in the order of §13.2.2), the origin's own
 * reading, kept apart from the worker's (`src/sw/http/preconditions.ts`) so the browser tests
 * compare the proxy with an independent reference.
 *
 * The origin always has a current representation with an ETag (strong unless the `weakEtag`
 * knob marks it weak) and a Last-Modified, so:
 * - `If-Match: *` holds; a list holds when one of its tags equals the ETag by strong comparison
 *   (a weak tag, its own or the client's, never does). False → 412.
 * - `If-Unmodified-Since` (only without `If-Match`) is false when the representation was
 *   modified after that date. False → 412.
 * - `If-None-Match: *` is false; a list is false when one of its tags equals the ETag by weak
 *   comparison (the opaque parts equal, `W/` ignored). False → 304 for GET and HEAD.
 * - `If-Modified-Since` (only without `If-None-Match`) is false when the representation was not
 *   modified after that date. False → 304.
 * A value that is not an HTTP-date is ignored (§13.1.3, §13.1.4; `http-date.ts`).
 */

import { parseHttpDate } from './http-date.ts';

/** The conditional request header fields, as received (undefined when absent). */
export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

/** The status the preconditions call for (412, 304), or null to answer as usual. */
export function preconditionStatus(
  fields: Preconditions,
  etag: string,
  lastModified: string,
  /** Wrong on purpose (the `datesBesideTags` knob): a date is evaluated beside its tag too. */
  datesBesideTags = false,
): 412 | 304 | null {
  const modified = parseHttpDate(lastModified) ?? Number.NaN;
  if (fields.ifMatch !== undefined && !holds(fields.ifMatch, (tag) => strongEqual(tag, etag)))
    return 412;
  if (fields.ifUnmodifiedSince !== undefined && (fields.ifMatch === undefined || datesBesideTags)) {
    const since = parseHttpDate(fields.ifUnmodifiedSince);
    if (since !== null && modified > since) return 412;
  }
  if (
    fields.ifNoneMatch !== undefined &&
    holds(fields.ifNoneMatch, (tag) => opaque(tag) === opaque(etag))
  )
    return 304;
  if (
    fields.ifModifiedSince !== undefined &&
    (fields.ifNoneMatch === undefined || datesBesideTags)
  ) {
    const since = parseHttpDate(fields.ifModifiedSince);
    if (since !== null && modified <= since) return 304;
  }
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

/** §8.8.3.2: both tags strong, and their opaque parts identical. */
function strongEqual(a: string, b: string): boolean {
  return a === b && !a.startsWith('W/');
}

/** The tag without its weakness marker. */
function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
