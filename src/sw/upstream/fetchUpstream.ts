import type { Upstream } from './UpstreamInfo.ts';
import { DEFAULT_TIMEOUTS, timeoutError } from './UpstreamTimeouts.ts';

/**
 * Send one request to `upstream` (through its `fetch`, the one seam) with a deadline for the
 * response headers: when they have not come within `headerTimeoutMs`, the request is aborted on
 * the wire and the promise rejects with a `TimeoutError` (see UpstreamTimeouts). The deadline
 * ends with the headers; a body is timed by whoever reads it (`readWithin`), who aborts
 * `init.signal` to stop the request.
 *
 * @param init - the request as the caller built it; its `signal` keeps stopping the request
 *   (headers and body) whenever the caller aborts it.
 */
export async function fetchUpstream(upstream: Upstream, init: RequestInit): Promise<Response> {
  const ms = (upstream.timeouts ?? DEFAULT_TIMEOUTS).headerTimeoutMs;
  const wire = new AbortController();
  const caller = init.signal;
  const onAbort = () => wire.abort(caller?.reason);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => wire.abort(timeoutError(`no response headers within ${ms / 1000} s`)),
    ms,
  );
  try {
    return await upstream.fetch(upstream.url, { ...init, signal: wire.signal });
  } catch (error) {
    // Fetch rejects with the signal's reason: the deadline's, or the caller's.
    throw wire.signal.aborted ? wire.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}
