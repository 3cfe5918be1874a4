/** `parseContentRange` against RFC 9110 §14.4 (the Content-Range field). */
import { describe, expect, it } from 'vitest';
import { parseContentRange } from '../../../../src/sw/upstream/contentRange.ts';

type Parsed = ReturnType<typeof parseContentRange>;

describe('parseContentRange: valid values', () => {
  it.each<[string, Parsed]>([
    ['bytes 0-0/1', { start: 0, end: 0, size: 1 }],
    ['bytes 0-499/1000', { start: 0, end: 499, size: 1000 }],
    ['bytes 500-999/1000', { start: 500, end: 999, size: 1000 }],
    ['bytes 42-1233/*', { start: 42, end: 1233, size: null }],
    ['bytes */1000', { start: null, end: null, size: 1000 }],
    ['bytes */0', { start: null, end: null, size: 0 }],
    ['Bytes 1-2/3', { start: 1, end: 2, size: 3 }],
    [' bytes 1-2/3 ', { start: 1, end: 2, size: 3 }],
  ])('valid_%j_isParsedExactly', (value, expected) => {
    expect(parseContentRange(value)).toEqual(expected);
  });
});

describe('parseContentRange: absent or invalid values are null', () => {
  it('absent_isNull', () => {
    expect(parseContentRange(null)).toBeNull();
  });

  it.each([
    '',
    'bytes',
    'bytes 0-1',
    'bytes=0-1/2',
    'items 0-1/2',
    'bytes 1-0/2', // last-pos < first-pos
    'bytes 0-10/5', // complete-length <= last-pos
    'bytes 0-4/4', // complete-length <= last-pos
    'bytes */*', // unsatisfied-range needs a complete-length
    'bytes -1/2',
    'bytes 0-/2',
    'bytes a-b/c',
    'bytes 0-1/2/3',
    'bytes 0-1/-2',
  ])('invalid_%j_isNull', (value) => {
    expect(parseContentRange(value)).toBeNull();
  });
});
