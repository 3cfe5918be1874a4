import { ProxyError } from '../errors/ProxyError.ts';
import { describeValue } from './describeValue.ts';

/**
 * `value` when it is an integer within `[min, max]`; else `bad-request` whose details name the
 * field and the range, e.g. `{ field: 'chunkSize', min: 65536, max: 67108864 }`.
 */
export function checkInteger(
  field: string,
  value: unknown,
  range: { readonly min: number; readonly max: number },
): number {
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= range.min &&
    value <= range.max
  )
    return value;
  const { min, max } = range;
  throw new ProxyError(
    'bad-request',
    { field, min, max },
    `${field} must be an integer from ${min} to ${max} (got ${describeValue(value)}).`,
  );
}
