import type { Upstream } from './UpstreamInfo.ts';
import { DEFAULT_TIMEOUTS, timeoutError } from './UpstreamTimeouts.ts';

/**
 * What every upstream request is unless its caller says otherwise: never from the HTTP cache (the
 * cache is ours, and a stale cached range would pass for the upstream's), CORS so its headers can
 * be validated, and the browser's default credentials policy.
 */
const UPSTREAM_REQUEST: RequestInit = {
  cache: 'no-store',
  mode: 'cors',
  credentials: 'same-origin',
};

/**
 * Send one request to `upstream` (through its `fetch`, the one seam) with a deadline for the
 * response headers: when they have not come within `headerTimeoutMs`, the request is aborted on
 * the wire and the promise rejects with a `TimeoutError` (see UpstreamTimeouts). The deadline
 * ends with the headers; a body is timed by whoever reads it (`readWithin`), who aborts
 * `init.signal` to stop the request.
 *
 * @param init - the request as the caller built it, over `UPSTREAM_REQUEST`; its `signal` keeps
 *   stopping the request (headers and body) whenever the caller aborts it.
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
  // Fetch drops Authorization on a cross-origin redirect but forwards every other header: a
  // session carrying others (an API key, say) must not follow redirects blindly. A service worker
  // cannot read an opaque redirect's Location, so such a request does not follow at all.
  const guard = init.mode !== 'no-cors' && carriesOtherHeaders(upstream.headers);
  try {
    return await upstream.fetch(upstream.url, {
      ...UPSTREAM_REQUEST,
      ...init,
      signal: wire.signal,
      ...(guard ? { redirect: 'manual' as const } : {}),
    });
  } catch (error) {
    // Fetch rejects with the signal's reason: the deadline's, or the caller's.
    throw wire.signal.aborted ? wire.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}

/** Headers a redirect must not carry to another origin: all but Authorization (see above). */
function carriesOtherHeaders(headers: Record<string, string>): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase() !== 'authorization');
}

/**
 * Why `response` must not be used: a redirect left unfollowed because the session's headers must
 * not reach another origin (see `fetchUpstream`), else null.
 */
export function refusedRedirect(response: Response): string | null {
  return response.type === 'opaqueredirect'
    ? 'the upstream redirected, and the redirect was not followed: this session sends headers other than Authorization, which must not reach another origin (use Authorization, or the final URL)'
    : null;
}
