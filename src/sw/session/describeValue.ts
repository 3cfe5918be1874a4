/**
 * A short rendering of a value a page sent, for an error message: numbers as they are, strings by
 * length only (a rejected string may be a secret, or megabytes long), anything else by type.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  return value === null ? 'null' : typeof value;
}
