import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Origin,
  parseRange,
  type RangeSelection,
  startOrigin,
  syntheticBytes,
} from '../../../tools/origin/index.ts';
import { bytesEqual, request } from './helpers.ts';

describe('parseRange (RFC 9110 §14.1.2, §14.2)', () => {
  const size = 1000;
  const table: Array<[string | undefined, RangeSelection]> = [
    [undefined, { type: 'full', reason: 'absent' }],
    ['bytes=0-499', { type: 'partial', start: 0, end: 499 }],
    ['bytes=500-', { type: 'partial', start: 500, end: 999 }],
    ['bytes=-200', { type: 'partial', start: 800, end: 999 }],
    ['bytes=0-0', { type: 'partial', start: 0, end: 0 }],
    ['bytes=999-999', { type: 'partial', start: 999, end: 999 }],
    ['bytes=900-5000', { type: 'partial', start: 900, end: 999 }],
    ['bytes=-5000', { type: 'partial', start: 0, end: 999 }],
    ['bytes=-1000', { type: 'partial', start: 0, end: 999 }],
    ['BYTES=1-2', { type: 'partial', start: 1, end: 2 }],
    ['bytes=1-2,', { type: 'partial', start: 1, end: 2 }],
    ['bytes= 1-2 ', { type: 'partial', start: 1, end: 2 }],
    ['bytes=1000-', { type: 'unsatisfiable' }],
    ['bytes=1000-2000', { type: 'unsatisfiable' }],
    ['bytes=5000-', { type: 'unsatisfiable' }],
    ['bytes=-0', { type: 'unsatisfiable' }],
    ['bytes=99999999999999999999999-', { type: 'unsatisfiable' }],
    ['bytes=5-4', { type: 'full', reason: 'invalid' }],
    ['bytes=abc', { type: 'full', reason: 'invalid' }],
    ['bytes=1-2-3', { type: 'full', reason: 'invalid' }],
    ['bytes=', { type: 'full', reason: 'invalid' }],
    ['bytes=-', { type: 'full', reason: 'invalid' }],
    ['bytes=+1-2', { type: 'full', reason: 'invalid' }],
    ['bytes 0-1', { type: 'full', reason: 'invalid' }],
    ['=0-1', { type: 'full', reason: 'invalid' }],
    ['', { type: 'full', reason: 'invalid' }],
    ['items=0-1', { type: 'full', reason: 'unit' }],
    ['bytes=0-1,5-6', { type: 'full', reason: 'multiple' }],
    ['bytes=0-1, 5000-', { type: 'full', reason: 'multiple' }],
  ];
  it.each(table)('%j', (header, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });

  it('answers every range on an empty representation with unsatisfiable', () => {
    for (const header of ['bytes=0-', 'bytes=0-0', 'bytes=-1']) {
      expect(parseRange(header, 0)).toEqual({ type: 'unsatisfiable' });
    }
    expect(parseRange(undefined, 0)).toEqual({ type: 'full', reason: 'absent' });
  });
});

describe('Range over HTTP on /synthetic', () => {
  let origin: Origin;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterAll(() => origin.close());

  const size = 1000;
  const full = syntheticBytes(9, 0, size);
  const cases: Array<[string, number, string | null, number, number]> = [
    // header, status, Content-Range, first byte, last byte (inclusive)
    ['bytes=0-499', 206, 'bytes 0-499/1000', 0, 499],
    ['bytes=500-', 206, 'bytes 500-999/1000', 500, 999],
    ['bytes=-200', 206, 'bytes 800-999/1000', 800, 999],
    ['bytes=0-0', 206, 'bytes 0-0/1000', 0, 0],
    ['bytes=990-5000', 206, 'bytes 990-999/1000', 990, 999],
    ['bytes=-5000', 206, 'bytes 0-999/1000', 0, 999],
    ['bytes=abc', 200, null, 0, 999],
    ['bytes=5-4', 200, null, 0, 999],
    ['items=0-1', 200, null, 0, 999],
    ['bytes=0-1,5-6', 200, null, 0, 999],
  ];
  it.each(cases)('%s → %i', async (range, status, contentRange, first, last) => {
    const response = await request(origin, '/synthetic/1000?seed=9', { Range: range });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-range')).toBe(contentRange);
    expect(response.headers.get('content-length')).toBe(String(last - first + 1));
    expect(bytesEqual(response.body, full.subarray(first, last + 1))).toBe(true);
  });

  it.each(['bytes=1000-', 'bytes=1000-1000', 'bytes=2000-3000', 'bytes=-0'])(
    '%s → 416 with bytes */1000',
    async (range) => {
      const response = await request(origin, '/synthetic/1000', { Range: range });
      expect(response.status).toBe(416);
      expect(response.headers.get('content-range')).toBe('bytes */1000');
    },
  );

  it('serves an empty representation as 200 and ranges on it as 416 bytes */0', async () => {
    const plain = await request(origin, '/synthetic/0');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-length')).toBe('0');
    expect(plain.body.length).toBe(0);
    const ranged = await request(origin, '/synthetic/0', { Range: 'bytes=0-' });
    expect(ranged.status).toBe(416);
    expect(ranged.headers.get('content-range')).toBe('bytes */0');
  });

  it('serves ranges far into a multi-GiB representation', async () => {
    const big = 6 * 1024 ** 3;
    const response = await request(origin, `/synthetic/${big}?seed=3`, {
      Range: `bytes=${big - 10}-`,
    });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${big - 10}-${big - 1}/${big}`);
    expect(bytesEqual(response.body, syntheticBytes(3, big - 10, big))).toBe(true);
  });
});
