/**
 * FIFO counting semaphores keyed by name, for the maxConns knob: a CDN that limits concurrent
 * responses makes extra requests wait (they are queued, not rejected), which is what a
 * parallel downloader must cope with.
 */

interface Slot {
  limit: number;
  active: number;
  queue: Array<() => void>;
}

export type Release = () => void;

export class ConnLimiter {
  readonly #slots = new Map<string, Slot>();

  /**
   * Wait for a slot under `key` (at most `limit` holders at once; the latest limit wins).
   * Resolves to a release function, or null if `signal` aborted while queued.
   */
  acquire(key: string, limit: number, signal: AbortSignal): Promise<Release | null> {
    let slot = this.#slots.get(key);
    if (!slot) {
      slot = { limit, active: 0, queue: [] };
      this.#slots.set(key, slot);
    }
    slot.limit = limit;
    const held = slot;
    if (signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        held.active += 1;
        resolve(this.#releaser(key, held));
      };
      const onAbort = () => {
        const index = held.queue.indexOf(grant);
        if (index >= 0) held.queue.splice(index, 1);
        resolve(null);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      held.queue.push(grant);
      this.#pump(key, held);
    });
  }

  #releaser(key: string, slot: Slot): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      slot.active -= 1;
      this.#pump(key, slot);
    };
  }

  #pump(key: string, slot: Slot): void {
    while (slot.active < slot.limit && slot.queue.length > 0) {
      slot.queue.shift()?.();
    }
    if (slot.active === 0 && slot.queue.length === 0 && this.#slots.get(key) === slot) {
      this.#slots.delete(key);
    }
  }
}
