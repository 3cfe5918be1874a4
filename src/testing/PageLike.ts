/**
 * What the kit needs of a browser page: to run a function in it with one serializable argument.
 * Playwright's `Page` (and `Frame`) fits; so does any driver with the same `evaluate`.
 */
export interface PageLike {
  evaluate<R, A>(pageFunction: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}
