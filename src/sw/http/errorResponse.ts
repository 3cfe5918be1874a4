import { ProxyError } from '../errors/ProxyError.ts';

/**
 * The one place an error becomes an HTTP response: a JSON body `{error, message, ...details}`
 * with the status of the error's code. Anything that is not a `ProxyError` is a bug or an
 * unexpected platform failure and answers 500 with its message.
 */
export function errorResponse(error: unknown): Response {
  const e = error instanceof ProxyError ? error : null;
  const status = e ? e.httpStatus : 500;
  const body = e
    ? { ...e.details, error: e.code, message: e.message }
    : {
        error: 'internal',
        message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}
