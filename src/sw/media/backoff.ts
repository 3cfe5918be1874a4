/**
 * Wait before retry number `attempt` (0-based): `baseMs * 2^attempt`, ±25 % jitter so parallel
 * chunks that failed together do not retry in lockstep. Rejects with the signal's reason as soon
 * as `signal` aborts. (A timer is the mechanism here, not a synchronisation hack: the upstream
 * needs time to recover and there is no event for that.)
 */
export function backoff(baseMs: number, attempt: number, signal: AbortSignal): Promise<void> {
  const ms = baseMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
