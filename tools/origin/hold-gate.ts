/**
 * The `holdAfter` knob's gate: responses that reach their hold point wait here until the test
 * releases them (`origin.releaseHeld()`) or their client leaves. Lets a test stop downloads at a
 * known byte count, then act, instead of racing a rate against a clock.
 *
 * A release opens the gate for good, so a response that started under the knob but reaches its
 * hold point after the release does not hold; setting `holdAfter` again (a knob or a query)
 * closes it.
 */
export class HoldGate {
  private open: () => void = () => undefined;
  private gate: Promise<void> | null = null;

  /** Close the gate (if open): responses reaching their hold point wait from now on. */
  arm(): void {
    if (this.gate) return;
    this.gate = new Promise<void>((resolve) => {
      this.open = resolve;
    });
  }

  /** Wait until released; false when `signal` aborts first (the client left). */
  wait(signal: AbortSignal): Promise<boolean> {
    const gate = this.gate;
    if (signal.aborted) return Promise.resolve(false);
    if (!gate) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
      void gate.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** Let every held response go on, and those that reach their hold point later too. */
  release(): void {
    this.gate = null;
    this.open();
  }
}
