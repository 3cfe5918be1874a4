/**
 * `parseRange` against RFC 9110 §14.1 (Range units, byte ranges) and §14.2 (the Range field).
 *
 *   ranges-specifier = range-unit "=" range-set        ; no OWS around "="
 *   range-set        = 1#range-spec                    ; a list: OWS around commas, empty elements
 *   range-spec       = int-range / suffix-range / other-range
 *   int-range        = first-pos "-" [ last-pos ]      ; 1*DIGIT each
 *   suffix-range     = "-" suffix-length
 *
 * Our answers: `full` (ignore the header: absent, invalid, other unit, several satisfiable ranges,
 * or an empty representation), `partial` (one satisfiable range), `unsatisfiable` (416).
 */
import { describe, expect, it } from 'vitest';
import { parseRange, type RangeRequest } from '../../../../src/sw/http/parseRange.ts';

const FULL: RangeRequest = { kind: 'full' };
const UNSATISFIABLE: RangeRequest = { kind: 'unsatisfiable' };
const partial = (start: number, end: number): RangeRequest => ({ kind: 'partial', start, end });

interface Row {
  header: string | null;
  size: number;
  want: RangeRequest;
  /** The expected answer, spelled out for the test name. */
  label: string;
}

function row(header: string | null, size: number, want: RangeRequest): Row {
  const label = want.kind === 'partial' ? `partial ${want.start}-${want.end}` : want.kind;
  return { header, size, want, label };
}

function check({ header, size, want }: Row): void {
  expect(parseRange(header, size)).toEqual(want);
}

describe('parseRange: int-range "first-pos - last-pos" (§14.1.2)', () => {
  it.each([
    row('bytes=0-0', 1, partial(0, 0)),
    row('bytes=0-0', 10, partial(0, 0)),
    row('bytes=0-0', 1000, partial(0, 0)),
    row('bytes=2-5', 10, partial(2, 5)),
    row('bytes=0-9', 10, partial(0, 9)),
    row('bytes=9-9', 10, partial(9, 9)),
    row('bytes=500-999', 1000, partial(500, 999)),
    row('bytes=00-01', 10, partial(0, 1)),
  ])('boundedRange: $header of $size bytes is $label', check);
});

describe('parseRange: int-range without last-pos "first-pos -" (§14.1.2)', () => {
  it.each([
    row('bytes=0-', 1, partial(0, 0)),
    row('bytes=0-', 10, partial(0, 9)),
    row('bytes=3-', 10, partial(3, 9)),
    row('bytes=999-', 1000, partial(999, 999)),
  ])('openRange: $header of $size bytes runs to the end, $label', check);
});

describe('parseRange: last-pos at or past the end is shortened to size - 1 (§14.1.2)', () => {
  it.each([
    row('bytes=0-1', 1, partial(0, 0)),
    row('bytes=5-10', 10, partial(5, 9)),
    row('bytes=5-9', 10, partial(5, 9)),
    row('bytes=900-99999', 1000, partial(900, 999)),
    row('bytes=0-99999999999999999999', 10, partial(0, 9)),
  ])('endPastSize_isShortened: $header of $size bytes is $label', check);
});

describe('parseRange: first-pos at or past the end is unsatisfiable (§14.1.1, §15.5.17)', () => {
  it.each([
    row('bytes=1-', 1, UNSATISFIABLE),
    row('bytes=1-1', 1, UNSATISFIABLE),
    row('bytes=10-', 10, UNSATISFIABLE),
    row('bytes=10-20', 10, UNSATISFIABLE),
    row('bytes=1000-1000', 1000, UNSATISFIABLE),
    row('bytes=5000-', 1000, UNSATISFIABLE),
    // Syntactically valid (1*DIGIT), just too large: unsatisfiable, not malformed.
    row('bytes=99999999999999999999-', 1000, UNSATISFIABLE),
  ])('startAtOrPastEnd_isUnsatisfiable: $header of $size bytes', check);
});

describe('parseRange: suffix-range "-suffix-length" (§14.1.2)', () => {
  it.each([
    row('bytes=-1', 1, partial(0, 0)),
    row('bytes=-1', 10, partial(9, 9)),
    row('bytes=-3', 10, partial(7, 9)),
    row('bytes=-200', 1000, partial(800, 999)),
    // "If the selected representation is shorter than the specified suffix-length, the entire
    // representation is used": a 206 of 0..size-1, not a 200.
    row('bytes=-10', 10, partial(0, 9)),
    row('bytes=-11', 10, partial(0, 9)),
    row('bytes=-2', 1, partial(0, 0)),
    row('bytes=-5000', 1000, partial(0, 999)),
    row('bytes=-99999999999999999999', 10, partial(0, 9)),
  ])('suffix: $header of $size bytes is $label', check);

  it.each([
    row('bytes=-0', 1, UNSATISFIABLE),
    row('bytes=-0', 10, UNSATISFIABLE),
    row('bytes=-000', 1000, UNSATISFIABLE),
  ])('zeroSuffix_isUnsatisfiable: $header of $size bytes', check);
});

describe('parseRange: several ranges (§14.1.1, §14.2)', () => {
  it.each([
    row('bytes=0-1,5-6', 10, FULL),
    row('bytes=0-1,0-1', 10, FULL),
    row('bytes=-1,0-0', 10, FULL),
    row('bytes=0-,-1', 1000, FULL),
  ])('severalSatisfiable_isFull: $header of $size bytes', check);

  it.each([
    row('bytes=0-1,20-30', 10, partial(0, 1)),
    row('bytes=20-30,-2', 10, partial(8, 9)),
    row('bytes=5-,20-', 10, partial(5, 9)),
    row('bytes=-0,3-4', 10, partial(3, 4)),
    row('bytes=1000-,0-0', 1000, partial(0, 0)),
  ])('onlyOneSatisfiable_isPartial: $header of $size bytes is $label', check);

  it.each([
    row('bytes=10-,11-', 10, UNSATISFIABLE),
    row('bytes=20-30,-0', 10, UNSATISFIABLE),
    row('bytes=1-,2-3', 1, UNSATISFIABLE),
  ])('noneSatisfiable_isUnsatisfiable: $header of $size bytes', check);
});

describe('parseRange: absent header and empty representation', () => {
  it.each([0, 1, 10, 1000])('absentHeader_size%i_isFull', (size) => {
    expect(parseRange(null, size)).toEqual(FULL);
  });

  // §14.1.2: nothing can be selected from zero bytes; we answer 200 with the empty body.
  it.each([
    row('bytes=0-0', 0, FULL),
    row('bytes=0-', 0, FULL),
    row('bytes=5-', 0, FULL),
    row('bytes=-1', 0, FULL),
    row('bytes=-0', 0, FULL),
    row('bytes=0-1,5-6', 0, FULL),
  ])('emptyRepresentation_isFull: $header of 0 bytes', check);
});

describe('parseRange: the unit is case-insensitive (§14.1)', () => {
  it.each([
    row('Bytes=0-1', 10, partial(0, 1)),
    row('BYTES=0-1', 10, partial(0, 1)),
    row('bYtEs=-1', 10, partial(9, 9)),
  ])('unitInAnyCase_isUnderstood: $header is $label', check);
});

describe('parseRange: list syntax of the range-set (§5.6.1)', () => {
  it.each([
    // OWS around commas is part of the list rule.
    row('bytes=0-1 , 20-30', 10, partial(0, 1)),
    row('bytes=20-30,\t0-1', 10, partial(0, 1)),
    row('bytes=20-30\t,0-1', 10, partial(0, 1)),
    // §5.6.1.2: a recipient accepts and ignores empty list elements.
    row('bytes=0-1,', 10, partial(0, 1)),
    row('bytes=,0-1', 10, partial(0, 1)),
    row('bytes=, 0-1', 10, partial(0, 1)),
    row('bytes=0-1,,', 10, partial(0, 1)),
    row('bytes=,,0-1,,', 10, partial(0, 1)),
    row('bytes=0-1, ,', 10, partial(0, 1)),
    row('bytes=0-1,,2-3', 10, FULL),
    // §5.5: a field value carries no leading or trailing whitespace.
    row(' bytes=0-1 ', 10, partial(0, 1)),
    row('\tbytes=-2\t', 10, partial(8, 9)),
  ])('listSyntax: $header of $size bytes is $label', check);
});

describe('parseRange: malformed headers are ignored (§14.2: answer 200)', () => {
  const malformed = [
    '',
    'bytes',
    'bytes=',
    '=0-1',
    '=',
    'bytes:0-1',
    'bytes 0-1',
    'byte=0-1',
    'items=0-1',
    'x-bytes=0-1',
    'bytes==0-1',
    'bytes=a-b',
    'bytes=0-b',
    'bytes=1-0',
    'bytes=0-1,5-2',
    'bytes=--1',
    'bytes=0--1',
    'bytes=-',
    'bytes=1',
    'bytes=-1-',
    'bytes=0-1-2',
    'bytes=0x10-',
    'bytes=1e3-',
    'bytes=+1-2',
    'bytes=1.5-2',
    'bytes=0-1;x',
    'bytes=0,1',
    'bytes=(0-1)',
    'bytes=0-1 2-3',
    'bytes=0-1,a-b',
    'bytes=,',
    'bytes=, ,',
    // No OWS around "=" in ranges-specifier, none inside a range-spec.
    'bytes =0-1',
    'bytes= 0-1',
    'bytes = 0-1',
    'bytes= 0 - 1',
    'bytes=0 -1',
    'bytes=0- 1',
    // DIGIT is ASCII 0-9 only; OWS is SP / HTAB only.
    'bytes=\u0660-\u0661',
    'bytes=\uff10-\uff11',
    'bytes=0-1\u00a0',
    'bytes=\u00a00-1',
    'bytes=\u20000-1',
  ];

  it('malformedTable_hasAtLeast25Rows', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(25);
  });

  describe.each([1, 10, 1000])('size %i', (size) => {
    it.each(malformed.map((header) => ({ header: JSON.stringify(header) })))(
      'malformed_isIgnoredAsFull: $header',
      ({ header }) => {
        expect(parseRange(JSON.parse(header) as string, size)).toEqual(FULL);
      },
    );
  });
});
