import { ProxyError } from './errors/ProxyError.ts';
import type { StreamProxyOptions } from './StreamProxyOptions.ts';
import { checkInteger } from './session/checkInteger.ts';
import { describeValue } from './session/describeValue.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The bounds of the worker's own options (`installStreamProxy(options)`). Wider than what a page
 * may ask for a session (`SESSION_LIMITS`): tests use 1000-byte chunks. A value outside is a
 * mistake in the worker script, caught when it starts rather than as odd behaviour later.
 */
export const OPTION_LIMITS = {
  chunkSize: { min: 1, max: 64 * 1024 * 1024 },
  concurrency: { min: 1, max: 16 },
  prefetch: { min: 0, max: 256 },
  maxRetries: { min: 0, max: 10 },
  retryDelayMs: { min: 0, max: MINUTE },
  headerTimeoutMs: { min: 1, max: 10 * MINUTE },
  stallTimeoutMs: { min: 1, max: 10 * MINUTE },
  budget: { min: 0, max: Number.MAX_SAFE_INTEGER },
  sessionTtlMs: { min: 1_000, max: 365 * DAY },
  mediaIdleMs: { min: 0, max: DAY },
  revalidateAfterMs: { min: 0, max: DAY },
} as const;

const STORES = ['auto', 'indexeddb', 'opfs'];

/**
 * `options` when every given field is within its bounds; else `bad-request` naming the field and
 * its range (`{ field: 'concurrency', min: 1, max: 16 }`).
 */
export function checkProxyOptions(options: StreamProxyOptions): StreamProxyOptions {
  for (const [field, range] of Object.entries(OPTION_LIMITS)) {
    const value = options[field as keyof typeof OPTION_LIMITS];
    if (value !== undefined) checkInteger(field, value, range);
  }
  if (options.store !== undefined && !STORES.includes(options.store))
    throw new ProxyError(
      'bad-request',
      { field: 'store', allowed: STORES },
      `store must be one of ${STORES.join(', ')} (got ${describeValue(options.store)}).`,
    );
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw new ProxyError('bad-request', { field: 'fetch' }, 'fetch must be a function.');
  return options;
}
