/**
 * Path-prefix → knobs table, plus resolution of the knobs that apply to one request.
 */
import { definedKnobs, type Knobs } from './knobs.ts';

export interface ResolvedKnobs {
  knobs: Knobs;
  /**
   * Which maxConns queue the request joins: the prefix that set maxConns (so every path under
   * `/synthetic/` shares one cap, like a CDN's per-client connection limit), or the path itself
   * when maxConns came from the query string.
   */
  maxConnsKey: string;
}

export class KnobTable {
  readonly #initial: Knobs | undefined;
  readonly #byPrefix = new Map<string, Knobs>();

  /** `initial` applies to all paths (prefix '') and survives `reset()`. */
  constructor(initial?: Knobs) {
    this.#initial = initial ? definedKnobs(initial) : undefined;
    this.reset();
  }

  /** Knobs for paths starting with `prefix` ('' = all); replaces earlier knobs for it. */
  set(prefix: string, knobs: Knobs): void {
    this.#byPrefix.set(prefix, definedKnobs(knobs));
  }

  /** Back to the knobs given at startup. */
  reset(): void {
    this.#byPrefix.clear();
    if (this.#initial) this.#byPrefix.set('', { ...this.#initial });
  }

  /**
   * Knobs for `path`: every matching prefix applies, more specific (longer) prefixes override
   * shorter ones knob by knob, and query knobs override them all.
   */
  resolve(path: string, query: Knobs): ResolvedKnobs {
    const matching = [...this.#byPrefix]
      .filter(([prefix]) => path.startsWith(prefix))
      .sort(([a], [b]) => a.length - b.length);
    const knobs: Knobs = {};
    let maxConnsKey = `path:${path}`;
    for (const [prefix, prefixKnobs] of matching) {
      Object.assign(knobs, prefixKnobs);
      if (prefixKnobs.maxConns !== undefined) maxConnsKey = `prefix:${prefix}`;
    }
    Object.assign(knobs, query);
    if (query.maxConns !== undefined) maxConnsKey = `path:${path}`;
    return { knobs, maxConnsKey };
  }
}
