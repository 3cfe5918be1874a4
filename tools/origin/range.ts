/**
 * `Range` request header evaluation for the `bytes` unit (RFC 9110 §14.1, §14.2).
 *
 * Choices, all permitted by RFC 9110 §14.2 ("A server MAY ignore the Range header field"):
 * - A syntactically invalid header (including `last-pos < first-pos`, §14.1.1) is ignored → 200.
 * - A range unit other than `bytes` is ignored → 200 (§14.2: "MUST ignore ... a range unit it
 *   does not understand").
 * - More than one range-spec is answered with the whole representation (200) instead of
 *   multipart/byteranges; this origin only plays a CDN for single-range clients.
 * - A zero-length representation answers every range with 416 `bytes *\/0`: no 206 can describe
 *   an empty range (a Content-Range needs `first <= last`, §14.4), even for the suffix form that
 *   §14.1.1 formally calls satisfiable.
 */

export type RangeSelection =
  /**
   * Serve the whole representation with 200; `reason` says why no range applies ('ignored':
   * a valid Range was overruled, by If-Range or the ignoreRange knob).
   */
  | { type: 'full'; reason: 'absent' | 'ignored' | 'invalid' | 'unit' | 'multiple' }
  /** Serve bytes [start, end] (inclusive, as in Content-Range) with 206. */
  | { type: 'partial'; start: number; end: number }
  /** Answer 416 with `Content-Range: bytes *\/<size>` (§15.5.17). */
  | { type: 'unsatisfiable' };

type RangeSpec = { first: number; last: number | null } | { suffix: number };

// §5.6.2 token characters; the range-unit is a token compared case-insensitively (§14.1).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INT_RANGE = /^(\d+)-(\d*)$/;
const SUFFIX_RANGE = /^-(\d+)$/;

/** Parse one range-spec of the bytes unit (§14.1.1); null when it is not valid syntax. */
function parseSpec(text: string): RangeSpec | null {
  const intRange = INT_RANGE.exec(text);
  if (intRange) {
    const first = Number(intRange[1]);
    const last = intRange[2] ? Number(intRange[2]) : null;
    // §14.1.1: an int-range with last-pos < first-pos is invalid.
    return last !== null && last < first ? null : { first, last };
  }
  const suffix = SUFFIX_RANGE.exec(text);
  return suffix ? { suffix: Number(suffix[1]) } : null;
}

/** Parse the range-set list (§14.1.1 `1#range-spec`); null when any element is invalid. */
function parseRangeSet(text: string): RangeSpec[] | null {
  const specs: RangeSpec[] = [];
  for (const element of text.split(',')) {
    const trimmed = element.trim();
    // §5.6.1.2: a recipient MUST accept and ignore empty list elements.
    if (trimmed === '') continue;
    const spec = parseSpec(trimmed);
    if (!spec) return null;
    specs.push(spec);
  }
  return specs.length > 0 ? specs : null;
}

/** Evaluate a single byte range against a representation of `size` bytes (§14.1.2). */
function select(spec: RangeSpec, size: number): RangeSelection {
  if (size === 0) return { type: 'unsatisfiable' };
  if ('suffix' in spec) {
    // §14.1.2: a suffix longer than the representation selects all of it; -0 selects nothing.
    if (spec.suffix === 0) return { type: 'unsatisfiable' };
    return { type: 'partial', start: Math.max(0, size - spec.suffix), end: size - 1 };
  }
  if (spec.first >= size) return { type: 'unsatisfiable' };
  // §14.1.2: an absent or too large last-pos means "to the end of the representation".
  const end = spec.last === null ? size - 1 : Math.min(spec.last, size - 1);
  return { type: 'partial', start: spec.first, end };
}

/**
 * Decide how to answer a request with `Range: header` for a representation of `size` bytes.
 * Pass `undefined`/`null` when the request has no Range header.
 */
export function parseRange(header: string | null | undefined, size: number): RangeSelection {
  if (header === undefined || header === null) return { type: 'full', reason: 'absent' };
  const value = header.trim();
  const eq = value.indexOf('=');
  if (eq <= 0) return { type: 'full', reason: 'invalid' };
  const unit = value.slice(0, eq);
  if (!TOKEN.test(unit)) return { type: 'full', reason: 'invalid' };
  if (unit.toLowerCase() !== 'bytes') return { type: 'full', reason: 'unit' };
  const specs = parseRangeSet(value.slice(eq + 1));
  if (!specs) return { type: 'full', reason: 'invalid' };
  const [only] = specs;
  if (specs.length > 1 || !only) return { type: 'full', reason: 'multiple' };
  return select(only, size);
}

/** Content-Range value for a 206 (§14.4): `bytes first-last/complete-length`. */
export function contentRange(start: number, end: number, size: number): string {
  return `bytes ${start}-${end}/${size}`;
}

/** Content-Range value for a 416 (§14.4, §15.5.17): `bytes *\/complete-length`. */
export function unsatisfiedContentRange(size: number): string {
  return `bytes */${size}`;
}
