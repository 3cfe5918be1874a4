/**
 * The RFC 9110 range cases every media endpoint must answer right, with the answer each must
 * get. Pure data: `checkRanges` runs them against a URL.
 */

/** What a correct server answers one case with. */
export type RangeOutcome =
  /** 200 with the whole representation (no Range, or one the server must or may ignore). */
  | { status: 200 }
  /** 206 with bytes `start..end` (inclusive) and `Content-Range: bytes start-end/size`. */
  | { status: 206; start: number; end: number }
  /** 416 with `Content-Range: bytes *\/size`. */
  | { status: 416 }
  /**
   * 200 with the whole representation, or 206 `multipart/byteranges` with exactly these parts
   * (RFC 9110 §14.2 lets a server ignore a multi-range request).
   */
  | { status: 200 | 206; parts: [number, number][] };

export interface RangeCase {
  /** A short name saying what the case tests, e.g. `over-long last byte`. */
  name: string;
  method: 'GET' | 'HEAD';
  /** The `Range` header, or null for none. */
  range: string | null;
  expect: RangeOutcome;
  /** Why this answer, with the RFC 9110 section. */
  why: string;
}

export interface RangeCaseOptions {
  /**
   * The chunk size of the cache under test (default 1 MiB, Chunkwise's): adds ranges that
   * straddle chunk boundaries when the representation has more than one chunk.
   */
  chunkSize?: number;
}

/**
 * The case table for a representation of `size` bytes (at least 1: an empty representation has
 * no satisfiable range and servers legitimately differ on it).
 */
export function rangeCases(size: number, options: RangeCaseOptions = {}): RangeCase[] {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new RangeError(`rangeCases: size must be an integer of at least 1 (got ${size}).`);
  const chunk = options.chunkSize ?? 1024 * 1024;
  if (!Number.isSafeInteger(chunk) || chunk < 1)
    throw new RangeError(`rangeCases: chunkSize must be a positive integer (got ${chunk}).`);
  const last = size - 1;
  const part = (start: number, end: number): RangeOutcome => ({
    status: 206,
    start,
    end: Math.min(end, last),
  });
  const get = (name: string, range: string | null, expect: RangeOutcome, why: string) =>
    ({ name, method: 'GET', range, expect, why }) satisfies RangeCase;
  const cases: RangeCase[] = [
    get('no Range', null, { status: 200 }, 'the whole representation (§15.3.1)'),
    get('first byte', 'bytes=0-0', part(0, 0), 'one byte (§14.1.2)'),
    get('probe bytes=0-1', 'bytes=0-1', part(0, 1), 'the probe Safari sends first (§14.1.2)'),
    get('open range from 0', 'bytes=0-', part(0, last), 'from a position to the end (§14.1.2)'),
    get('last byte, open', `bytes=${last}-`, part(last, last), 'open range at the last byte'),
    get(
      'one byte inside',
      `bytes=${Math.min(1, last)}-${Math.min(1, last)}`,
      part(Math.min(1, last), Math.min(1, last)),
      'a single byte',
    ),
    get('suffix of 1', 'bytes=-1', part(last, last), 'the last byte (§14.1.1 suffix-range)'),
    get('suffix of 500', 'bytes=-500', part(Math.max(0, size - 500), last), 'the last 500 bytes'),
    get(
      'suffix longer than the representation',
      `bytes=-${size + 5}`,
      part(0, last),
      'a longer suffix selects it all (§14.1.2)',
    ),
    get(
      'over-long last byte',
      `bytes=0-${size + 100}`,
      part(0, last),
      'last-pos past the end is shortened, not refused (§14.1.2)',
    ),
    get(
      'over-long from the middle',
      `bytes=${Math.floor(size / 2)}-${size * 2}`,
      part(Math.floor(size / 2), last),
      'shortened to the end (§14.1.2)',
    ),
    get(
      'first byte at the size',
      `bytes=${size}-`,
      { status: 416 },
      'nothing selectable: 416 with bytes */size (§15.5.17)',
    ),
    get(
      'range past the end',
      `bytes=${size + 10}-${size + 20}`,
      { status: 416 },
      'unsatisfiable (§15.5.17)',
    ),
    get(
      'last before first',
      'bytes=5-2',
      { status: 200 },
      'invalid range-spec: Range ignored (§14.1.1, §14.2)',
    ),
    get('not a number', 'bytes=abc', { status: 200 }, 'invalid syntax: Range ignored (§14.2)'),
    get(
      'unknown unit',
      'items=0-5',
      { status: 200 },
      'a unit the server does not know MUST be ignored (§14.2)',
    ),
    {
      name: 'HEAD',
      method: 'HEAD',
      range: null,
      expect: { status: 200 },
      why: 'the GET header fields, no body (§9.3.2)',
    },
    {
      name: 'HEAD with a range',
      method: 'HEAD',
      range: `bytes=0-${Math.min(4, last)}`,
      expect: part(0, 4),
      why: 'the ranged GET header fields, no body (§9.3.2)',
    },
  ];
  if (size >= 6)
    cases.push(
      get(
        'multiple ranges',
        'bytes=0-1,4-5',
        {
          status: 200,
          parts: [
            [0, 1],
            [4, 5],
          ],
        },
        'whole (200) or multipart/byteranges (206) (§14.2, §14.6)',
      ),
    );
  if (size > chunk) {
    cases.push(
      get(
        'straddles the first chunk boundary',
        `bytes=${chunk - 1}-${chunk}`,
        part(chunk - 1, chunk),
        'the last byte of chunk 0 and the first of chunk 1',
      ),
      get(
        'exactly the second chunk',
        `bytes=${chunk}-${2 * chunk - 1}`,
        part(chunk, 2 * chunk - 1),
        'one whole chunk',
      ),
      get(
        'across several chunks',
        `bytes=${chunk - 2}-${3 * chunk + 2}`,
        part(chunk - 2, 3 * chunk + 2),
        'spans chunk boundaries',
      ),
      get(
        'open range from a boundary',
        `bytes=${chunk}-`,
        part(chunk, last),
        'from a chunk start to the end',
      ),
    );
  }
  return cases;
}
