/**
 * The RFC 9110 range cases every media endpoint must answer right, with what a correct server
 * may answer to each. Pure data: `checkRanges` runs them against a URL.
 */

/** What a correct server may answer one case with (RFC 9110 §14). */
export type RangeOutcome =
  /** 200 with the whole representation. */
  | { kind: 'whole' }
  /** 206 with bytes `start..end` (inclusive) and `Content-Range: bytes start-end/size`. */
  | { kind: 'range'; start: number; end: number }
  /**
   * A ranged `HEAD`: 206 as for `GET` (§9.3.2), or 200 (§14.2: GET is the only method whose
   * range handling is defined, so a server may ignore Range on others).
   */
  | { kind: 'range-or-whole'; start: number; end: number }
  /** 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' }
  /** An invalid Range: ignored (200, whole) or rejected (416) (§14.2). */
  | { kind: 'whole-or-unsatisfiable' }
  /**
   * Several ranges: 200 whole (§14.2), 206 `multipart/byteranges` with exactly these parts
   * (§14.6), or one 206 range covering them all (§15.3.7 lets a server coalesce).
   */
  | { kind: 'ranges'; parts: [number, number][] };

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
 * no satisfiable range and servers legitimately differ on it). Throws `RangeError` otherwise.
 */
export function rangeCases(size: number, options: RangeCaseOptions = {}): RangeCase[] {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new RangeError(`rangeCases: size must be an integer of at least 1 (got ${size}).`);
  const chunk = options.chunkSize ?? 1024 * 1024;
  if (!Number.isSafeInteger(chunk) || chunk < 1)
    throw new RangeError(`rangeCases: chunkSize must be a positive integer (got ${chunk}).`);
  const last = size - 1;
  const mid = Math.floor(size / 2);
  const one = Math.min(1, last);
  const range = (start: number, end: number): RangeOutcome => ({
    kind: 'range',
    start,
    end: Math.min(end, last),
  });
  const cases: RangeCase[] = [];
  const get = (name: string, header: string | null, expect: RangeOutcome, why: string) =>
    cases.push({ name, method: 'GET', range: header, expect, why });

  get('no Range', null, { kind: 'whole' }, 'the whole representation (§15.3.1)');
  get('first byte', 'bytes=0-0', range(0, 0), 'one byte (§14.1.2)');
  get('probe bytes=0-1', 'bytes=0-1', range(0, 1), 'the probe Safari sends first (§14.1.2)');
  get('open range from 0', 'bytes=0-', range(0, last), 'from a position to the end (§14.1.2)');
  get('last byte, open', `bytes=${last}-`, range(last, last), 'an open range at the last byte');
  get('one byte inside', `bytes=${one}-${one}`, range(one, one), 'a single byte');
  get('suffix of 1', 'bytes=-1', range(last, last), 'the last byte (§14.1.1 suffix-range)');
  get('suffix of 500', 'bytes=-500', range(Math.max(0, size - 500), last), 'the last 500 bytes');
  get(
    'suffix longer than the representation',
    `bytes=-${size + 5}`,
    range(0, last),
    'a longer suffix selects it all (§14.1.2)',
  );
  get(
    'over-long last byte',
    `bytes=0-${size + 100}`,
    range(0, last),
    'a last-pos past the end is shortened, not refused (§14.1.2)',
  );
  get(
    'over-long from the middle',
    `bytes=${mid}-${size * 2}`,
    range(mid, last),
    'shortened to the end (§14.1.2)',
  );
  get(
    'first byte at the size',
    `bytes=${size}-`,
    { kind: 'unsatisfiable' },
    'nothing selectable: 416 with bytes */size (§15.5.17)',
  );
  get(
    'range past the end',
    `bytes=${size + 10}-${size + 20}`,
    { kind: 'unsatisfiable' },
    'unsatisfiable (§15.5.17)',
  );
  get(
    'last before first',
    'bytes=5-2',
    { kind: 'whole-or-unsatisfiable' },
    'an invalid range-spec is ignored or rejected (§14.1.1, §14.2)',
  );
  get(
    'not a number',
    'bytes=abc',
    { kind: 'whole-or-unsatisfiable' },
    'invalid syntax is ignored or rejected (§14.2)',
  );
  get(
    'unknown unit',
    'items=0-5',
    { kind: 'whole' },
    'a unit the server does not know MUST be ignored (§14.2)',
  );
  cases.push(
    {
      name: 'HEAD',
      method: 'HEAD',
      range: null,
      expect: { kind: 'whole' },
      why: 'the GET header fields, no body (§9.3.2)',
    },
    {
      name: 'HEAD with a range',
      method: 'HEAD',
      range: `bytes=0-${Math.min(4, last)}`,
      expect: { kind: 'range-or-whole', start: 0, end: Math.min(4, last) },
      why: 'the ranged GET header fields (§9.3.2) or the whole ones (§14.2), no body',
    },
  );
  if (size >= 6)
    get(
      'multiple ranges',
      'bytes=0-1,4-5',
      {
        kind: 'ranges',
        parts: [
          [0, 1],
          [4, 5],
        ],
      },
      'whole, multipart/byteranges, or one coalesced range (§14.2, §14.6, §15.3.7)',
    );
  if (size > chunk) {
    get(
      'straddles the first chunk boundary',
      `bytes=${chunk - 1}-${chunk}`,
      range(chunk - 1, chunk),
      'the last byte of chunk 0 and the first of chunk 1',
    );
    get(
      'exactly the second chunk',
      `bytes=${chunk}-${2 * chunk - 1}`,
      range(chunk, 2 * chunk - 1),
      'one whole chunk',
    );
    get(
      'across several chunks',
      `bytes=${chunk - 2}-${3 * chunk + 2}`,
      range(chunk - 2, 3 * chunk + 2),
      'spans chunk boundaries',
    );
    get(
      'open range from a boundary',
      `bytes=${chunk}-`,
      range(chunk, last),
      'from a chunk start to the end',
    );
  }
  return cases;
}
