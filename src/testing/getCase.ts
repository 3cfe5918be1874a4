import type { RangeCase, RangeOutcome } from './rangeCases.ts';

/** A `GET` case of the table: its Range header (or null) and other request headers, if any. */
export function getCase(
  name: string,
  range: string | null,
  expect: RangeOutcome,
  why: string,
  headers?: Record<string, string>,
): RangeCase {
  return { name, method: 'GET', range, expect, why, ...(headers && { headers }) };
}
