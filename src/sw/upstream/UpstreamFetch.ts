/**
 * How the proxy reaches the network: every upstream request (probe, chunk, early range,
 * single-mode body, no-cors pass-through) is made through it, so a test can hand the proxy a
 * scripted upstream (option `fetch`). The default is the global `fetch`.
 *
 * @param url - the upstream URL.
 * @param init - the request exactly as the caller built it (method, headers, signal, mode...).
 */
export type UpstreamFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * The global `fetch`, called as a plain function. Stored as is and called as `upstream.fetch()`,
 * it would run with `this === upstream`, which Chromium rejects ("Failed to execute 'fetch' on
 * 'WorkerGlobalScope': Illegal invocation"); the arrow keeps `this` the global scope.
 */
export const globalUpstreamFetch: UpstreamFetch = (url, init) => fetch(url, init);
