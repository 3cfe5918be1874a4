import { getCase } from './getCase.ts';
import { NO_SUCH_ETAG } from './noSuchEtag.ts';
import { type Validators, validatorCases } from './validatorCases.ts';

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
   * Either answer is right: for a ranged `HEAD`, 206 as for `GET` (§9.3.2) or 200 (§14.2: GET is
   * the only method whose range handling is defined); for `If-Range` with a date, 206 where the
   * server holds that date a strong validator, else 200 (§13.1.5, §8.8.2.2).
   */
  | { kind: 'range-or-whole'; start: number; end: number }
  /** 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' }
  /** An invalid Range: ignored (200, whole) or rejected (416) (§14.2). */
  | { kind: 'whole-or-unsatisfiable' }
  /** 304, no content: the client's copy is current (§15.4.5). */
  | { kind: 'not-modified' }
  /**
   * A failed `If-None-Match` with an unsatisfiable range: 304 (§14.2 evaluates Range after the
   * preconditions) or 416 (read as §13.2.1: preconditions ignored when the answer without them
   * would not be a 2xx).
   */
  | { kind: 'not-modified-or-unsatisfiable' }
  /** 412, no range and no representation: a precondition failed (§15.5.13). */
  | { kind: 'precondition-failed' }
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
  /**
   * Other request headers (the conditional ones: `If-Range`, `If-Match`, `If-None-Match`,
   * `If-Modified-Since`, `If-Unmodified-Since`).
   */
  headers?: Record<string, string>;
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
  /**
   * Add the conditional-request cases (default true): `If-Range`, `If-Match` and
   * `If-None-Match` with values that need no validator of the representation (an entity tag no
   * server sends, `*`, a date no Last-Modified can be). Leave them out (false) for an endpoint
   * that is not meant to evaluate preconditions.
   */
  preconditions?: boolean;
  /**
   * The endpoint's own validators (its `ETag` and `Last-Modified`): adds, with the conditional
   * cases, the ones that use them (`If-None-Match` with its ETag → 304, `If-Range` with it → the
   * range, `If-Modified-Since` its date → 304, …; `validatorCases`). `checkRanges` learns them
   * from the endpoint itself.
   */
  validators?: Validators;
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
  const get = (...args: Parameters<typeof getCase>) => cases.push(getCase(...args));

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
  if (options.preconditions ?? true) {
    const probe = `bytes=0-${one}`;
    get(
      'If-Range that cannot hold',
      probe,
      { kind: 'whole' },
      'a validator that does not match: Range MUST be ignored, the whole answers (§13.1.5)',
      { 'If-Range': NO_SUCH_ETAG },
    );
    get(
      'If-Range with a date that cannot be the Last-Modified',
      probe,
      { kind: 'whole' },
      'only the exact Last-Modified holds, a later date does not: Range MUST be ignored (§13.1.5)',
      // Never a Last-Modified (§8.8.2.1: not later than the answer's Date); a server comparing
      // dates as "not modified since" instead of exactly would honour it.
      { 'If-Range': 'Fri, 31 Dec 9999 23:59:59 GMT' },
    );
    get(
      'If-Range without Range',
      null,
      { kind: 'whole' },
      'If-Range without Range MUST be ignored (§13.1.5)',
      { 'If-Range': NO_SUCH_ETAG },
    );
    get(
      'If-Match that cannot hold',
      null,
      { kind: 'precondition-failed' },
      'no listed tag is the current one: MUST NOT answer as asked; 412 (§13.1.1)',
      { 'If-Match': NO_SUCH_ETAG },
    );
    get(
      'If-Match that cannot hold, with a Range',
      probe,
      { kind: 'precondition-failed' },
      'preconditions come before Range (§13.2.2): 412, not 206',
      { 'If-Match': NO_SUCH_ETAG },
    );
    get(
      'If-Match: *',
      probe,
      { kind: 'range', start: 0, end: one },
      '`*` holds for a current representation (§13.1.1): the range answers',
      { 'If-Match': '*' },
    );
    get(
      'If-None-Match: *',
      null,
      { kind: 'not-modified' },
      '`*` is false for a current representation: 304 for GET (§13.1.2)',
      { 'If-None-Match': '*' },
    );
    get(
      'If-None-Match that cannot match',
      probe,
      { kind: 'range', start: 0, end: one },
      'no listed tag is the current one: the condition holds, the range answers (§13.1.2)',
      { 'If-None-Match': NO_SUCH_ETAG },
    );
    get(
      'unsatisfiable range with If-None-Match: *',
      `bytes=${size}-`,
      { kind: 'not-modified-or-unsatisfiable' },
      '304 (§14.2: Range comes after the preconditions) or 416 (§13.2.1), never a body',
      { 'If-None-Match': '*' },
    );
    cases.push({
      name: 'HEAD with If-None-Match: *',
      method: 'HEAD',
      range: null,
      headers: { 'If-None-Match': '*' },
      expect: { kind: 'not-modified' },
      why: '304 for HEAD as for GET (§13.1.2)',
    });
    if (options.validators) cases.push(...validatorCases(options.validators, size));
  }
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
