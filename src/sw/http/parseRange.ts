/**
 * What a `Range` request header asks of a representation of known size (RFC 9110 §14.1–14.2).
 *
 * - `full`: answer 200 with the whole body. The header was absent, syntactically invalid, used a
 *   unit other than `bytes` (§14.2: a server MUST ignore a Range it does not understand), asked
 *   for several ranges (our documented choice: §14.2 lets a server ignore Range, and a 200 is
 *   cheaper and safer than `multipart/byteranges`, which no media element asks for), or the
 *   representation is empty (§14.1.2: no byte range can select anything from zero bytes).
 * - `partial`: answer 206 with bytes `start..end` (both inclusive, `end` already shortened to
 *   `size - 1` as §14.1.2 requires for an over-long last-pos).
 * - `unsatisfiable`: answer 416 with `Content-Range: bytes *\/size` (§15.5.17): every range's
 *   first-pos is at or past the end, or a suffix asks for zero bytes.
 */
export type RangeRequest =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const FULL: RangeRequest = { kind: 'full' };
const UNSATISFIABLE: RangeRequest = { kind: 'unsatisfiable' };

// ranges-specifier = range-unit "=" range-set (§14.1.1): no OWS around "=". The range-set is a
// list (§5.6.1.2: `*( "," OWS ) element *( OWS "," [ OWS element ] )`), so it may not start
// with OWS either; OWS is SP / HTAB only (§5.6.3).
const SPECIFIER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)=(?![ \t])(.*)$/;
const trimOws = (s: string): string => s.replace(/^[ \t]+|[ \t]+$/g, '');
// int-range = first-pos "-" [ last-pos ]  /  suffix-range = "-" suffix-length; 1*DIGIT each.
const RANGE_SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/;

/**
 * Decide how to answer `header` for a representation of `size` bytes.
 *
 * @param header - the request's `Range` header value, or null when absent.
 * @param size - the representation's length in bytes (a non-negative safe integer).
 */
export function parseRange(header: string | null, size: number): RangeRequest {
  if (header === null) return FULL;
  const spec = SPECIFIER.exec(trimOws(header));
  if (!spec) return FULL;
  const unit = spec[1] as string;
  if (unit.toLowerCase() !== 'bytes') return FULL;

  // A range-set is a non-empty list; empty elements between commas are allowed (§5.6.1) but at
  // least one element must be present.
  const elements = (spec[2] as string)
    .split(',')
    .map(trimOws)
    .filter((s) => s !== '');
  if (elements.length === 0) return FULL;

  const satisfiable: { start: number; end: number }[] = [];
  for (const element of elements) {
    const m = RANGE_SPEC.exec(element);
    if (!m) return FULL;
    if (m[3] !== undefined) {
      const suffix = Number(m[3]);
      if (suffix > 0 && size > 0)
        satisfiable.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    // Digits past 2^53 lose precision but keep their order against any real size, which is all
    // the comparisons below need (a huge first-pos is unsatisfiable, a huge last-pos shortened).
    const first = Number(m[1]);
    const last = m[2] === '' ? null : Number(m[2]);
    // §14.1.1: a last-pos below first-pos makes the whole range-set invalid.
    if (last !== null && last < first) return FULL;
    if (first < size)
      satisfiable.push({ start: first, end: last === null ? size - 1 : Math.min(last, size - 1) });
  }

  if (size === 0) return FULL;
  if (satisfiable.length === 0) return UNSATISFIABLE;
  if (satisfiable.length > 1) return FULL;
  const only = satisfiable[0] as { start: number; end: number };
  return { kind: 'partial', start: only.start, end: only.end };
}
