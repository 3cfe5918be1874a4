import { ProxyError } from '../errors/ProxyError.ts';
import { redactUrls } from './redactUrls.ts';

/**
 * The one place an error becomes an HTTP response: a JSON body `{error, message, ...details}`
 * with the status of the error's code. Anything that is not a `ProxyError` is a bug or an
 * unexpected platform failure and answers 500 with its message. URLs in the body lose their
 * query strings (signed URLs carry credentials there) unless `revealUrls`: the session was
 * created asking for them.
 */
export function errorResponse(error: unknown, revealUrls = false): Response {
  const e = error instanceof ProxyError ? error : null;
  const status = e ? e.httpStatus : 500;
  const body = e
    ? { ...e.details, error: e.code, message: e.message }
    : {
        error: 'internal',
        message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
  const headers = new Headers({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  // RFC 9110 §15.5.2: a 401 names a challenge. Ours is no scheme a browser prompts for: the page
  // answers it by creating the session again (with credentials that work, when the upstream
  // refused the session's: its 401 is passed on, and its own challenge is not ours to repeat).
  if (status === 401) headers.set('WWW-Authenticate', 'Chunkwise-Session');
  // §15.5.6: a 405 lists the methods the target supports.
  if (e?.code === 'method-not-allowed') headers.set('Allow', 'GET, HEAD');
  return new Response(JSON.stringify(revealUrls ? body : redactUrls(body)), { status, headers });
}
