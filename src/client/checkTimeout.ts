import { StreamProxyError } from './StreamProxyError.ts';

/** The longest delay `setTimeout` honours (2³¹ − 1 ms, ~24.8 days); longer fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * `value` (or `fallback` when undefined) when it is a number of ms in `[1, MAX_TIMEOUT_MS]`; else
 * `bad-argument` naming the option and its bounds.
 */
export function checkTimeout(field: string, value: number | undefined, fallback: number): number {
  const ms = value ?? fallback;
  if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 1 && ms <= MAX_TIMEOUT_MS) return ms;
  throw new StreamProxyError(
    'bad-argument',
    `${field} must be from 1 to ${MAX_TIMEOUT_MS} ms (got ${String(value)}).`,
    { field, min: 1, max: MAX_TIMEOUT_MS },
  );
}
