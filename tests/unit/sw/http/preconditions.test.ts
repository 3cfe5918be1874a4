/**
 * `decideAnswer` against RFC 9110 §13.1 (preconditions) and §13.2.2 (their order): If-Match and
 * If-Unmodified-Since fail with 412, If-None-Match and If-Modified-Since answer 304, an If-Range
 * that does not hold makes the Range ignored. Unknown validators never match.
 */
import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../../src/sw/errors/ProxyError.ts';
import { decideAnswer, type Validators } from '../../../../src/sw/http/preconditions.ts';

const SIZE = 1000;
const MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';
const EARLIER = 'Tue, 20 Oct 2015 07:28:00 GMT';
const LATER = 'Thu, 22 Oct 2015 07:28:00 GMT';
const KNOWN: Validators = { etag: '"v1"', lastModified: MODIFIED };
const WEAK: Validators = { etag: 'W/"v1"', lastModified: null };
const NONE: Validators = { etag: null, lastModified: null };

const decide = (headers: Record<string, string>, v: Validators = KNOWN) =>
  decideAnswer(new Headers(headers), SIZE, v);
const failure = (headers: Record<string, string>, v: Validators = KNOWN): unknown => {
  try {
    decide(headers, v);
  } catch (error) {
    return error;
  }
  return null;
};
const PARTIAL = { kind: 'partial', start: 0, end: 99 };
const FULL = { kind: 'full' };
const NOT_MODIFIED = { kind: 'not-modified' };

describe('decideAnswer: If-Range (§13.1.5)', () => {
  it.each<[string, Validators, object]>([
    ['"v1"', KNOWN, PARTIAL],
    ['"v2"', KNOWN, FULL],
    ['W/"v1"', KNOWN, FULL], // a weak tag never matches by strong comparison
    ['"v1"', WEAK, FULL], // nor does a weak current ETag
    ['"v1"', NONE, FULL],
    [MODIFIED, KNOWN, PARTIAL],
    [EARLIER, KNOWN, FULL],
    [LATER, KNOWN, FULL], // only an exact date holds
    [MODIFIED, NONE, FULL],
    ['yesterday', KNOWN, FULL],
  ])('ifRange %s_%o', (ifRange, v, want) => {
    expect(decide({ Range: 'bytes=0-99', 'If-Range': ifRange }, v)).toEqual(want);
  });

  it('ifRangeFalse_unsatisfiableRangeIgnored_200', () => {
    expect(decide({ Range: 'bytes=5000-', 'If-Range': '"v2"' })).toEqual(FULL);
  });

  it('preconditionsBeforeTheRange_anUnsatisfiableRangeAnswers304Or412WhenOneFails', () => {
    // §14.2: Range is evaluated after the preconditions, and ignored when the answer is a 304.
    expect(decide({ Range: 'bytes=5000-', 'If-None-Match': '"v1"' })).toEqual({
      kind: 'not-modified',
    });
    expect(() => decide({ Range: 'bytes=5000-', 'If-Match': '"v2"' })).toThrow(
      expect.objectContaining({ code: 'precondition-failed' }),
    );
    // Preconditions that hold: the range decides, 416.
    expect(decide({ Range: 'bytes=5000-', 'If-Match': '"v1"' })).toEqual({
      kind: 'unsatisfiable',
    });
    expect(decide({ Range: 'bytes=5000-', 'If-None-Match': '"v2"' })).toEqual({
      kind: 'unsatisfiable',
    });
  });

  it('ifRangeWithoutRange_ignored', () => {
    expect(decide({ 'If-Range': '"v2"' })).toEqual(FULL);
  });
});

describe('decideAnswer: If-None-Match and If-Modified-Since (304)', () => {
  it.each<[Record<string, string>, Validators, object]>([
    [{ 'If-None-Match': '"v1"' }, KNOWN, NOT_MODIFIED],
    [{ 'If-None-Match': 'W/"v1"' }, KNOWN, NOT_MODIFIED], // weak comparison
    [{ 'If-None-Match': '"a", "v1"' }, KNOWN, NOT_MODIFIED],
    [{ 'If-None-Match': '"a,b", "v1"' }, KNOWN, NOT_MODIFIED], // a comma inside a tag
    [{ 'If-None-Match': '*' }, NONE, NOT_MODIFIED], // the representation exists
    [{ 'If-None-Match': '"v2"' }, KNOWN, FULL],
    [{ 'If-None-Match': '"v1"' }, NONE, FULL],
    [{ 'If-None-Match': 'v1' }, KNOWN, FULL], // malformed: nothing matches
    [{ 'If-Modified-Since': MODIFIED }, KNOWN, NOT_MODIFIED],
    [{ 'If-Modified-Since': LATER }, KNOWN, NOT_MODIFIED],
    [{ 'If-Modified-Since': EARLIER }, KNOWN, FULL],
    [{ 'If-Modified-Since': 'not a date' }, KNOWN, FULL],
    [{ 'If-Modified-Since': LATER }, NONE, FULL],
    // §13.1.3: If-Modified-Since is ignored when If-None-Match is present.
    [{ 'If-None-Match': '"v2"', 'If-Modified-Since': LATER }, KNOWN, FULL],
    // 304 wins over the Range.
    [{ 'If-None-Match': '"v1"', Range: 'bytes=0-99' }, KNOWN, NOT_MODIFIED],
  ])('%o_%o', (headers, v, want) => {
    expect(decide(headers, v)).toEqual(want);
  });

  it('asctimeAndRfc850Dates_parsedAsGmt', () => {
    expect(decide({ 'If-Modified-Since': 'Wed Oct 21 07:28:00 2015' })).toEqual(NOT_MODIFIED);
    expect(decide({ 'If-Modified-Since': 'Wednesday, 21-Oct-15 07:28:00 GMT' })).toEqual(
      NOT_MODIFIED,
    );
    expect(decide({ 'If-Modified-Since': 'Wed Oct 21 07:27:59 2015' })).toEqual(FULL);
  });
});

describe('decideAnswer: If-Match and If-Unmodified-Since (412)', () => {
  it.each<[Record<string, string>, Validators, string]>([
    [{ 'If-Match': '"v2"' }, KNOWN, 'If-Match'],
    [{ 'If-Match': 'W/"v1"' }, KNOWN, 'If-Match'], // strong comparison
    [{ 'If-Match': '"v1"' }, NONE, 'If-Match'],
    [{ 'If-Unmodified-Since': EARLIER }, KNOWN, 'If-Unmodified-Since'],
  ])('%o_%o_412Naming %s', (headers, v, header) => {
    const error = failure({ ...headers, Range: 'bytes=0-99' }, v);
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ code: 'precondition-failed', httpStatus: 412 });
    expect((error as ProxyError).details.header).toBe(header);
  });

  it.each<[Record<string, string>, Validators]>([
    [{ 'If-Match': '"v1"' }, KNOWN],
    [{ 'If-Match': '"a", "v1"' }, KNOWN],
    [{ 'If-Match': '*' }, NONE],
    [{ 'If-Unmodified-Since': MODIFIED }, KNOWN],
    [{ 'If-Unmodified-Since': LATER }, KNOWN],
    [{ 'If-Unmodified-Since': EARLIER }, NONE], // no modification date: ignored
    [{ 'If-Unmodified-Since': 'soon' }, KNOWN], // not a date: ignored
    // §13.1.4: If-Unmodified-Since is ignored when If-Match is present.
    [{ 'If-Match': '"v1"', 'If-Unmodified-Since': EARLIER }, KNOWN],
  ])('%o_%o_holds', (headers, v) => {
    expect(decide({ ...headers, Range: 'bytes=0-99' }, v)).toEqual(PARTIAL);
  });

  it('ifMatchFails_beforeIfNoneMatchIsLookedAt', () => {
    expect(failure({ 'If-Match': '"v2"', 'If-None-Match': '"v1"' })).toMatchObject({
      code: 'precondition-failed',
    });
  });
});
