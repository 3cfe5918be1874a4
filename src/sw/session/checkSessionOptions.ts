import type { SessionOptions } from '../../shared/types.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import { checkHeaders } from './checkHeaders.ts';
import { checkInteger } from './checkInteger.ts';
import { checkString } from './checkString.ts';
import { SESSION_LIMITS } from './sessionLimits.ts';

/** Session options as a page sent them, checked; a field the page left out stays undefined. */
export interface CheckedOptions {
  headers: Record<string, string>;
  cacheKey: string | undefined;
  chunkSize: number | undefined;
  concurrency: number | undefined;
  prefetch: number | undefined;
  persistHeaders: boolean;
}

/**
 * Check every option a page gave against `SESSION_LIMITS`. Throws `bad-request` naming the field
 * and its range (e.g. `{ field: 'chunkSize', min: 65536, max: 67108864 }`) at the first bad one.
 * Unknown fields are ignored (a newer page talking to an older worker).
 */
export function checkSessionOptions(options: unknown): CheckedOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options))
    throw new ProxyError('bad-request', { field: 'options' }, 'options must be an object.');
  const o = options as Record<keyof SessionOptions, unknown>;
  const integer = (field: 'chunkSize' | 'concurrency' | 'prefetch') =>
    o[field] === undefined ? undefined : checkInteger(field, o[field], SESSION_LIMITS[field]);
  if (o.persistHeaders !== undefined && typeof o.persistHeaders !== 'boolean') {
    throw new ProxyError(
      'bad-request',
      { field: 'persistHeaders' },
      'persistHeaders must be true or false.',
    );
  }
  return {
    headers: checkHeaders(o.headers),
    cacheKey:
      o.cacheKey === undefined
        ? undefined
        : checkString('cacheKey', o.cacheKey, SESSION_LIMITS.cacheKey),
    chunkSize: integer('chunkSize'),
    concurrency: integer('concurrency'),
    prefetch: integer('prefetch'),
    persistHeaders: o.persistHeaders === true,
  };
}
