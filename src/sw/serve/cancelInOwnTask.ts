/**
 * Run the work of a response body's `cancel()` in a task of its own, and settle once it is done
 * (whoever awaits `cancel()` finds the work finished).
 *
 * No event listener may run synchronously from a body's `cancel()`. WebKitGTK 2.50 calls it with
 * the fetch's connection lock held (WebServiceWorkerFetchTaskClient::doCancel); a listener run
 * then (an `abort` listener, say) drains the microtasks on its way out, where the response's body
 * pipe sees its end and reports it under that same lock: the worker thread deadlocks and never
 * answers again.
 */
export function cancelInOwnTask<T>(work: () => T | Promise<T>): Promise<T> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(work);
}
