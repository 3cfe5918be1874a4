import { describe, expect, it } from 'vitest';
import { parseHttpDate } from '../../../tools/origin/http-date.ts';

const MS = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('the origin reads HTTP-dates (RFC 9110 §5.6.7)', () => {
  it('reads the three forms as the same instant, in GMT whatever the machine zone', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(MS);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(MS);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(MS);
    expect(parseHttpDate(new Date(MS).toUTCString())).toBe(MS);
  });

  it('refuses what Date.parse would read but HTTP does not', () => {
    for (const value of [
      '1994-11-06T08:49:37Z',
      'Sun, 6 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 +0000',
      'Sun, 06 Foo 1994 08:49:37 GMT',
      '1',
      'yesterday',
    ])
      expect(parseHttpDate(value), value).toBeNull();
  });
});
