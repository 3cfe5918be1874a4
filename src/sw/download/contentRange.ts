/**
 * Parse a `Content-Range` response header (RFC 9110 §14.4): `bytes first-last/complete`,
 * `bytes first-last/*`, or `bytes *\/complete` (on 416). Null when absent or malformed.
 */
export function parseContentRange(
  value: string | null,
): { start: number | null; end: number | null; size: number | null } | null {
  if (value === null) return null;
  const m = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i.exec(value);
  if (!m) return null;
  const start = m[1] === undefined ? null : Number(m[1]);
  const end = m[2] === undefined ? null : Number(m[2]);
  const size = m[3] === '*' ? null : Number(m[3]);
  if (start !== null && end !== null && end < start) return null;
  return { start, end, size };
}
