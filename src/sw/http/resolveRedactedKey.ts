import { ProxyError } from '../errors/ProxyError.ts';
import { redactUrls } from './redactUrls.ts';

/**
 * The stored cache key a page means by `given`: `given` itself when it is a key, else the one
 * key whose redacted form (`redactUrls`, what `cache.list()` showed) it is, so a key read from
 * a listing can be passed back to `cache.delete` or `unpin`. Two keys redacting to `given` are
 * ambiguous: `bad-request` (list with `revealUrls` to tell them apart). A `given` matching
 * nothing is returned as is, for the caller to report. Pure.
 */
export function resolveRedactedKey(given: string, keys: readonly string[]): string {
  if (keys.includes(given)) return given;
  const matches = keys.filter((key) => redactUrls(key) === given);
  if (matches.length === 1) return matches[0] as string;
  if (matches.length > 1) {
    throw new ProxyError(
      'bad-request',
      { field: 'key', matches: matches.length },
      `${matches.length} cache keys differ only in their query strings: list them with revealUrls and pass the full key.`,
    );
  }
  return given;
}
