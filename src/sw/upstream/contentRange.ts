/**
 * Parse a `Content-Range` response header (RFC 9110 §14.4): `bytes first-last/complete`,
 * `bytes first-last/*`, or `bytes *\/complete` (on 416). Null when absent or malformed.
 */
export function parseContentRange(
  value: string | null,
): { start: number | null; end: number | null; size: number | null } | null {
  if (value === null) return null;
  // range-resp = first-last "/" ( complete-length / "*" ); unsatisfied-range = "*/" complete-length.
  const m = /^\s*bytes\s+(?:(\d+)-(\d+)\/(\d+|\*)|\*\/(\d+))\s*$/i.exec(value);
  if (!m) return null;
  if (m[4] !== undefined) return { start: null, end: null, size: Number(m[4]) };
  const start = Number(m[1]);
  const end = Number(m[2]);
  const size = m[3] === '*' ? null : Number(m[3]);
  // §14.4: invalid if last-pos < first-pos, or complete-length <= last-pos.
  if (end < start || (size !== null && size <= end)) return null;
  return { start, end, size };
}
