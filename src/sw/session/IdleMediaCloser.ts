/** How `IdleMediaCloser` asks and acts. */
export interface IdleMediaPort {
  /** Whether media `key` is idle now: no request, reader, chunk download, download for offline. */
  isIdle(key: string): Promise<boolean> | boolean;
  /** Close media `key` (abort what it still runs, forget its runtime). */
  close(key: string): Promise<void> | void;
}

/**
 * Closes a media's runtime once nobody has used it for `idleMs`: a runtime holds its upstream,
 * scheduler, counters and partial chunks, and a worker that serves many media over a long life
 * would otherwise keep every one. Told when a media's last request ends (`unused`) and when one
 * begins (`used`); when the time is up and the media is still busy (prefetches finishing) it
 * looks again `idleMs` later. The next request for a closed media opens it again (one probe).
 */
export class IdleMediaCloser {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly idleMs: number,
    private readonly port: IdleMediaPort,
  ) {}

  /** Media waiting to be closed (for the memory bound). */
  get size(): number {
    return this.timers.size;
  }

  /** The last request on `key` ended: close it after `idleMs` unless used again. */
  unused(key: string): void {
    this.used(key);
    this.timers.set(
      key,
      setTimeout(() => void this.check(key), this.idleMs),
    );
  }

  /** A request on `key` began: it is not idle. */
  used(key: string): void {
    const timer = this.timers.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(key);
  }

  /** Drop every timer (the proxy is released). */
  release(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async check(key: string): Promise<void> {
    const timer = this.timers.get(key);
    if (!(await this.port.isIdle(key))) {
      // Still busy: look again later, unless a request came or the closer was released meanwhile.
      if (this.timers.get(key) === timer) this.unused(key);
      return;
    }
    if (this.timers.get(key) !== timer) return; // used again while we asked
    this.timers.delete(key);
    await this.port.close(key);
  }
}
