/**
 * `If-Range` evaluation (RFC 9110 §13.1.5).
 *
 * A client sends If-Range with a validator from an earlier response so that a resumed download
 * never splices bytes of two different versions: if the representation changed, the server
 * ignores Range and sends the whole new representation with 200.
 */

/**
 * True when the If-Range condition holds and the Range header may be honoured.
 *
 * - Entity-tag: holds only on a strong match with the current ETag (§8.8.3.2): a weak tag
 *   (`W/"..."`) never matches, and the opaque tags must be identical character by character.
 * - HTTP-date: holds only when it exactly matches the Last-Modified value that this response
 *   would carry (§13.1.5 "exactly matches"), compared as field values.
 */
export function ifRangeHolds(ifRange: string, etag: string, lastModified: string): boolean {
  const value = ifRange.trim();
  if (value.startsWith('W/')) return false;
  if (value.startsWith('"')) return value === etag;
  return value === lastModified;
}
