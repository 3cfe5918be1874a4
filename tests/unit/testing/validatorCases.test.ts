/**
 * The kit's cases that use the endpoint's own validators: which are made for a strong ETag, a weak
 * one, a Last-Modified date, and none; what each expects; and that `rangeCases` adds them only
 * with the conditional cases.
 */
import { describe, expect, it } from 'vitest';
import { rangeCases } from '../../../src/testing/rangeCases.ts';
import { validatorCases } from '../../../src/testing/validatorCases.ts';

const DATE = 'Sun, 29 Nov 2026 10:00:00 GMT';
const OTHER = '"chunkwise-testing-no-such-etag"';

/** Each case as one line: `name | METHOD range | header: value → outcome`. */
const table = (etag: string | null, lastModified: string | null, size = 100) =>
  validatorCases({ etag, lastModified }, size).map((c) => {
    const headers = Object.entries(c.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
    return `${c.name} | ${c.method} ${c.range ?? '-'} | ${headers.join('; ')} → ${c.expect.kind}`;
  });

describe('validatorCases', () => {
  it('a strong ETag: If-Range and If-Match hold with it, If-None-Match answers 304', () => {
    expect(table('"v1"', null)).toEqual([
      'If-Range with its ETag | GET bytes=0-1 | If-Range: "v1" → range',
      'If-Range with its ETag marked weak | GET bytes=0-1 | If-Range: W/"v1" → whole',
      'If-Match with its ETag | GET bytes=0-1 | If-Match: "v1" → range',
      'If-Match with its ETag marked weak | GET bytes=0-1 | If-Match: W/"v1" → precondition-failed',
      'If-None-Match with its ETag marked weak | GET - | If-None-Match: W/"v1" → not-modified',
      'If-None-Match with its ETag | GET - | If-None-Match: "v1" → not-modified',
      'If-None-Match with its ETag, with a Range | GET bytes=0-1 | If-None-Match: "v1" → not-modified',
      `If-None-Match with a list holding its ETag | GET - | If-None-Match: ${OTHER}, "v1" → not-modified`,
      'HEAD with If-None-Match of its ETag | HEAD - | If-None-Match: "v1" → not-modified',
    ]);
  });

  it('a weak ETag: no If-Range or If-Match holds with it, If-None-Match still answers 304', () => {
    expect(table('W/"v1"', null)).toEqual([
      'If-Range with its weak ETag | GET bytes=0-1 | If-Range: W/"v1" → whole',
      'If-Match with its weak ETag | GET bytes=0-1 | If-Match: W/"v1" → precondition-failed',
      'If-None-Match with its ETag | GET - | If-None-Match: W/"v1" → not-modified',
      'If-None-Match with its ETag, with a Range | GET bytes=0-1 | If-None-Match: W/"v1" → not-modified',
      `If-None-Match with a list holding its ETag | GET - | If-None-Match: ${OTHER}, W/"v1" → not-modified`,
      'HEAD with If-None-Match of its ETag | HEAD - | If-None-Match: W/"v1" → not-modified',
    ]);
  });

  it('a Last-Modified date: If-Range either way, the date conditions 304 and the range', () => {
    expect(table(null, DATE)).toEqual([
      `If-Range with its Last-Modified | GET bytes=0-1 | If-Range: ${DATE} → range-or-whole`,
      `If-Modified-Since its Last-Modified | GET - | If-Modified-Since: ${DATE} → not-modified`,
      `HEAD with If-Modified-Since its Last-Modified | HEAD - | If-Modified-Since: ${DATE} → not-modified`,
      `If-Unmodified-Since its Last-Modified | GET bytes=0-1 | If-Unmodified-Since: ${DATE} → range`,
      `If-Unmodified-Since a second before its Last-Modified | GET bytes=0-1 | If-Unmodified-Since: Sun, 29 Nov 2026 09:59:59 GMT → precondition-failed`,
    ]);
    // The obsolete HTTP-date forms count too (§5.6.7); asctime is GMT.
    expect(table(null, 'Sunday, 29-Nov-26 10:00:00 GMT')).toHaveLength(5);
    expect(table(null, 'Sun Nov 29 10:00:00 2026').at(-1)).toContain('09:59:59 GMT');
  });

  it('a tag and a date: each date condition beside its tag counterpart is not evaluated', () => {
    const both = table('"v1"', DATE);
    expect(both.slice(-2)).toEqual([
      `If-None-Match of another tag, with If-Modified-Since its Last-Modified | GET - | If-None-Match: ${OTHER}; If-Modified-Since: ${DATE} → whole`,
      `If-Match with its ETag, with If-Unmodified-Since a second before its Last-Modified | GET bytes=0-1 | If-Match: "v1"; If-Unmodified-Since: Sun, 29 Nov 2026 09:59:59 GMT → range`,
    ]);
    // With a weak tag If-Match never holds, so only the If-None-Match case is made.
    expect(table('W/"v1"', DATE).filter((line) => line.includes(';'))).toEqual([both.at(-2)]);
    // A date that is no HTTP-date: neither.
    expect(table('"v1"', 'last Tuesday').some((line) => line.includes(';'))).toBe(false);
  });

  it('no validators, an ETag that is no entity-tag, a Last-Modified that is no HTTP-date: no case', () => {
    expect(table(null, null)).toEqual([]);
    // Date.parse reads all of these; none is an HTTP-date.
    for (const date of [
      'last Tuesday',
      '2026-11-29T10:00:00Z',
      'Sun, 1 Nov 2026 10:00:00 GMT',
      '1',
    ])
      expect(table(null, date)).toEqual([]);
    for (const etag of ['v1', '"v1', 'W/v1', '"a"b"']) expect(table(etag, null)).toEqual([]);
  });

  it('refuses a size below 1, as rangeCases does', () => {
    expect(() => validatorCases({ etag: '"v1"', lastModified: null }, 0)).toThrow(RangeError);
  });

  it('a one-byte representation asks for its only byte', () => {
    const [first] = validatorCases({ etag: '"v1"', lastModified: null }, 1);
    expect(first).toMatchObject({
      range: 'bytes=0-0',
      expect: { kind: 'range', start: 0, end: 0 },
    });
  });

  it('rangeCases adds them with the conditional cases only', () => {
    const validators = { etag: '"v1"', lastModified: DATE };
    const base = rangeCases(100).length;
    expect(rangeCases(100, { validators }).length).toBe(base + 16);
    expect(rangeCases(100, { validators, preconditions: false })).toEqual(
      rangeCases(100, { preconditions: false }),
    );
  });
});
