import { expect } from 'vitest';

/** What `work` rejected with, asserted to be a `type` (a fulfilment fails the test). */
export async function rejectionOf<E>(
  work: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}
