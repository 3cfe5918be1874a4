/**
 * Waits that end early when the client goes away, so an abandoned response stops generating
 * and writing immediately instead of finishing a throttled body nobody reads.
 * Both resolve to false when aborted (no exceptions: abort is an ordinary outcome here).
 */
import type { EventEmitter } from 'node:events';

/** Wait `ms` (a token-bucket delay or TTFB); false if `signal` aborted first. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wait for 'drain' after a write returned false (backpressure); false if aborted first. */
export function waitForDrain(stream: EventEmitter, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      stream.off('drain', onDrain);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onDrain = () => finish(true);
    const onAbort = () => finish(false);
    stream.on('drain', onDrain);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
