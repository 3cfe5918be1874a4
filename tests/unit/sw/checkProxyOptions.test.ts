import { describe, expect, it } from 'vitest';
import { checkProxyOptions } from '../../../src/sw/checkProxyOptions.ts';
import type { StreamProxyOptions } from '../../../src/sw/StreamProxyOptions.ts';

function refusal(options: unknown): unknown {
  try {
    checkProxyOptions(options as StreamProxyOptions);
    return null;
  } catch (error) {
    return error;
  }
}

describe('checkProxyOptions: the worker script is told its mistake when the proxy is created', () => {
  it.each<[string, StreamProxyOptions, Record<string, unknown>]>([
    ['concurrency 0', { concurrency: 0 }, { field: 'concurrency', min: 1, max: 16 }],
    ['concurrency 2.5', { concurrency: 2.5 }, { field: 'concurrency', min: 1, max: 16 }],
    ['chunkSize negative', { chunkSize: -1 }, { field: 'chunkSize', min: 1, max: 67108864 }],
    ['prefetch NaN', { prefetch: Number.NaN }, { field: 'prefetch', min: 0, max: 256 }],
    ['budget -1', { budget: -1 }, { field: 'budget', min: 0, max: Number.MAX_SAFE_INTEGER }],
    ['maxRetries 11', { maxRetries: 11 }, { field: 'maxRetries', min: 0, max: 10 }],
    [
      'headerTimeoutMs 0',
      { headerTimeoutMs: 0 },
      { field: 'headerTimeoutMs', min: 1, max: 600000 },
    ],
    ['store unknown', { store: 'memory' as never }, { field: 'store' }],
    ['fetch not a function', { fetch: 'x' as never }, { field: 'fetch' }],
  ])('%s_badRequestNamingTheField', (_, options, details) => {
    expect(refusal(options)).toMatchObject({ code: 'bad-request', details });
  });

  it.each<[string, StreamProxyOptions]>([
    ['nothing', {}],
    ['test-sized chunks', { chunkSize: 1000, concurrency: 16, prefetch: 0 }],
    ['a big budget', { budget: 8 * 1024 ** 3, store: 'opfs' }],
  ])('%s_accepted', (_, options) => {
    expect(refusal(options)).toBeNull();
  });
});
