/** One request being served for a session: ends with its response, or with its body. */
export interface MediaUse {
  /**
   * The use lasts beyond the request (a streamed body): it ends when the returned function is
   * called (idempotent), e.g. by the body once it ends, errors or is cancelled.
   */
  hold(): () => void;
  /** The request is over (unless a body was held: then its end is). Idempotent. */
  leave(): void;
}

/**
 * Who uses each media now: the requests being served, by session and cache key, a request with
 * a chunked body until that body ends. This is what "live" means when a session closes (its
 * media's downloads stop only when no other session's request uses it) and when a media is
 * idle (`IdleMediaCloser`). Entries go when their count reaches 0, so memory follows what runs.
 */
export class MediaUsers {
  private readonly byKey = new Map<string, Map<string, number>>();

  constructor(
    /** Told when the last use of `key` ends. */
    private readonly onUnused: (key: string) => void = () => undefined,
    /** Told when `key` gets a use. */
    private readonly onUsed: (key: string) => void = () => undefined,
  ) {}

  /** Keys with a use now (for the memory bound). */
  get size(): number {
    return this.byKey.size;
  }

  /** Uses of `key` now, leaving out those of session `except`. */
  count(key: string, except?: string): number {
    let n = 0;
    for (const [id, uses] of this.byKey.get(key) ?? []) if (id !== except) n += uses;
    return n;
  }

  /** A request of session `id` on media `key` begins. */
  enter(id: string, key: string): MediaUse {
    const sessions = this.byKey.get(key) ?? new Map<string, number>();
    this.byKey.set(key, sessions);
    sessions.set(id, (sessions.get(id) ?? 0) + 1);
    this.onUsed(key);
    let held = false;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      const uses = (sessions.get(id) ?? 1) - 1;
      if (uses > 0) sessions.set(id, uses);
      else sessions.delete(id);
      if (sessions.size === 0 && this.byKey.get(key) === sessions) {
        this.byKey.delete(key);
        this.onUnused(key);
      }
    };
    return {
      hold: () => {
        held = true;
        return leave;
      },
      leave: () => {
        if (!held) leave();
      },
    };
  }
}
