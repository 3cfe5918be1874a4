/**
 * Counts responses in progress and resolves `whenIdle()` waiters when the count drops to zero,
 * so tests can wait for the server side of a request to finish (log entry complete) without
 * polling.
 */
export class IdleTracker {
  #active = 0;
  #waiters: Array<() => void> = [];

  begin(): void {
    this.#active += 1;
  }

  end(): void {
    this.#active -= 1;
    if (this.#active > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  get active(): number {
    return this.#active;
  }

  whenIdle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
