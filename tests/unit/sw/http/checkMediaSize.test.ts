import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../../src/sw/errors/ProxyError.ts';
import {
  checkMediaSize,
  MAX_CHUNKS,
  MAX_MEDIA_BYTES,
} from '../../../../src/sw/http/checkMediaSize.ts';

const MIB = 1024 * 1024;

describe('checkMediaSize', () => {
  it('limits_areSafeIntegersAndABitmapOf2Mib', () => {
    expect(MAX_MEDIA_BYTES).toBe(Number.MAX_SAFE_INTEGER);
    expect(MAX_CHUNKS).toBe(2 ** 24);
  });

  it.each<[string, number, number | undefined]>([
    ['empty media', 0, MIB],
    ['one byte', 1, MIB],
    ['exactly the chunk cap', MAX_CHUNKS * MIB, MIB],
    ['largest safe size, no chunking (single mode)', Number.MAX_SAFE_INTEGER, undefined],
  ])('%s_accepted', (_, size, chunkSize) => {
    expect(() => checkMediaSize(size, chunkSize)).not.toThrow();
  });

  it.each<[string, number, number | undefined, Record<string, unknown>]>([
    ['negative', -1, MIB, { size: -1, maxMediaBytes: MAX_MEDIA_BYTES }],
    ['fractional', 10.5, MIB, { size: 10.5, maxMediaBytes: MAX_MEDIA_BYTES }],
    ['NaN (Content-Length "abc")', Number.NaN, MIB, { size: null, maxMediaBytes: MAX_MEDIA_BYTES }],
    ['Infinity', Number.POSITIVE_INFINITY, MIB, { size: null, maxMediaBytes: MAX_MEDIA_BYTES }],
    [
      '2^53 (not a safe integer)',
      2 ** 53,
      undefined,
      { size: 2 ** 53, maxMediaBytes: MAX_MEDIA_BYTES },
    ],
    [
      'one chunk past the chunk cap',
      MAX_CHUNKS * MIB + 1,
      MIB,
      { size: MAX_CHUNKS * MIB + 1, chunkSize: MIB, chunks: MAX_CHUNKS + 1, maxChunks: MAX_CHUNKS },
    ],
    [
      '1 TiB in 64 KiB chunks',
      2 ** 40 + 1,
      64 * 1024,
      { size: 2 ** 40 + 1, chunkSize: 65536, chunks: 2 ** 24 + 1, maxChunks: MAX_CHUNKS },
    ],
  ])('%s_upstreamInvalidWithTheReason', (_, size, chunkSize, details) => {
    let thrown: unknown = null;
    try {
      checkMediaSize(size, chunkSize);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProxyError);
    const error = thrown as ProxyError;
    expect(error.code).toBe('upstream-invalid');
    expect(error.httpStatus).toBe(502);
    expect(error.details).toEqual(details);
    expect(error.message).toMatch(/size/);
  });
});
