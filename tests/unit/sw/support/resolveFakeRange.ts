/**
 * The fake upstream's reading of a `Range` header against a representation of `size` bytes
 * (RFC 9110 §14.1.2 and §14.2), written apart from `src/sw/http/parseRange.ts` so the code under
 * test is never checked against its own range maths:
 * - one range, `first-last`, `first-` or `-suffix`; a last past the end is shortened;
 * - a first at or past the end, or a zero suffix, is unsatisfiable (416);
 * - anything else (bad syntax, several ranges, last before first) is ignored: 200, whole body.
 */
export function resolveFakeRange(
  header: string,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | 'ignore' {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return 'ignore';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const first = Number(m[1]);
  const last = m[2] === '' ? Number.POSITIVE_INFINITY : Number(m[2]);
  if (last < first) return 'ignore';
  if (first >= size) return 'unsatisfiable';
  return { start: first, end: Math.min(last, size - 1) };
}
