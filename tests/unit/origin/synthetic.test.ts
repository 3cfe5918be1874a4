import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Origin,
  startOrigin,
  syntheticByte,
  syntheticBytes,
} from '../../../tools/origin/index.ts';
import { bytesEqual, request } from './helpers.ts';

describe('synthetic content', () => {
  it('is deterministic and matches syntheticByte at any offset and alignment', () => {
    for (const start of [0, 1, 2, 3, 4, 65535, 2 ** 32 - 3, 2 ** 34 - 1, 5 * 1024 ** 3 + 7]) {
      const bytes = syntheticBytes(42, start, start + 37);
      expect(bytesEqual(bytes, syntheticBytes(42, start, start + 37))).toBe(true);
      bytes.forEach((value, i) => {
        expect(value).toBe(syntheticByte(42, start + i));
      });
    }
  });

  it('stays in 0..255 and uses the whole byte range', () => {
    const bytes = syntheticBytes(1, 0, 64 * 1024);
    const seen = new Set(bytes);
    expect(seen.size).toBe(256);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(255);
  });

  it('differs between seeds', () => {
    const a = syntheticBytes(0, 0, 4096);
    const b = syntheticBytes(1, 0, 4096);
    const same = a.filter((value, i) => value === b[i]).length;
    expect(same).toBeLessThan(4096 / 64); // ~1/256 by chance
  });

  it('has neighbouring bytes that differ and offsets that are not shifted copies', () => {
    const bytes = syntheticBytes(7, 0, 8192);
    let equalNeighbours = 0;
    for (let i = 1; i < bytes.length; i++) if (bytes[i] === bytes[i - 1]) equalNeighbours++;
    expect(equalNeighbours).toBeLessThan(8192 / 64);
    for (const shift of [1, 2, 3, 4, 8, 256, 4096]) {
      const base = bytes.subarray(0, 1024);
      const shifted = bytes.subarray(shift, shift + 1024);
      const same = base.filter((value, i) => value === shifted[i]).length;
      expect(same, `shift ${shift}`).toBeLessThan(1024 / 16);
    }
  });

  it('rejects invalid ranges', () => {
    expect(() => syntheticBytes(0, 10, 5)).toThrow(RangeError);
    expect(() => syntheticBytes(0, -1, 5)).toThrow(RangeError);
    expect(syntheticBytes(0, 5, 5).length).toBe(0);
  });
});

describe('/synthetic/<bytes> route', () => {
  let origin: Origin;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterAll(() => origin.close());

  it('serves syntheticBytes for the seed, identically on every request', async () => {
    const size = 300_000;
    const first = await request(origin, `/synthetic/${size}?seed=5`);
    const second = await request(origin, `/synthetic/${size}?seed=5`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/octet-stream');
    expect(first.headers.get('content-length')).toBe(String(size));
    expect(bytesEqual(first.body, syntheticBytes(5, 0, size))).toBe(true);
    expect(bytesEqual(first.body, second.body)).toBe(true);
    expect(first.headers.get('etag')).toBe(second.headers.get('etag'));
  });

  it('defaults to seed 0 and serves other seeds with other bytes and ETags', async () => {
    const zero = await request(origin, '/synthetic/1000');
    const six = await request(origin, '/synthetic/1000?seed=6');
    expect(bytesEqual(zero.body, syntheticBytes(0, 0, 1000))).toBe(true);
    expect(bytesEqual(six.body, syntheticBytes(6, 0, 1000))).toBe(true);
    expect(zero.headers.get('etag')).not.toBe(six.headers.get('etag'));
  });

  it('404s on sizes that are not decimal byte counts', async () => {
    for (const path of ['/synthetic/abc', '/synthetic/', '/synthetic/1e6', '/synthetic/-5']) {
      expect((await request(origin, path)).status, path).toBe(404);
    }
  });
});
