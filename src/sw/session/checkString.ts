import { ProxyError } from '../errors/ProxyError.ts';
import { describeValue } from './describeValue.ts';

/**
 * `value` when it is a string of `[min, max]` characters; else `bad-request` whose details name
 * the field and the range of lengths.
 */
export function checkString(
  field: string,
  value: unknown,
  range: { readonly min: number; readonly max: number },
): string {
  if (typeof value === 'string' && value.length >= range.min && value.length <= range.max)
    return value;
  const { min, max } = range;
  throw new ProxyError(
    'bad-request',
    { field, unit: 'characters', min, max },
    `${field} must be a string of ${min} to ${max} characters (got ${describeValue(value)}).`,
  );
}
