import { resolveFakeRange } from './resolveFakeRange.ts';
import { syntheticBytes } from './syntheticBytes.ts';

/** One representation of the media: its bytes come from `seed`. */
export interface Content {
  seed: number;
  size: number;
  etag: string;
  lastModified: string;
  contentType: string;
}

/** Misbehaviour scripted for some requests. Several faults may match; later ones win. */
export interface Fault {
  /** Hold the response headers until this settles (`'never'`: until aborted). */
  holdHeaders?: Promise<unknown> | 'never';
  /** Stop the body after `bytes` bytes until `until` settles (`'never'`: until aborted). */
  stallAfter?: { bytes: number; until: Promise<unknown> | 'never' };
  /** Error the body with a network `TypeError` after this many bytes. */
  errorAfter?: number;
  /** End the body cleanly after this many bytes, headers unchanged (a connection cut short). */
  endAfter?: number;
  /** Send this many bytes past what was asked, with no Content-Length (chunked transfer). */
  extraBytes?: number;
  /** Answer this error status (416 carries `Content-Range: bytes *\/N`, RFC 9110 §15.5.17). */
  status?: 401 | 403 | 404 | 416 | 500 | 503;
  /** Answer a Wi-Fi sign-in page: 200 `text/html`, whatever was asked. */
  captivePortal?: boolean;
  /** Ignore `Range`: 200 with the whole body (RFC 9110 §14.2 allows it). */
  ignoreRange?: boolean;
  /** Expose only CORS-safelisted response headers (no Content-Range, ETag, Accept-Ranges). */
  hideHeaders?: boolean;
  /** Answer as if redirected here: `response.redirected` and `response.url` say so. */
  redirectedTo?: string;
  /**
   * Reject the fetch as the network does: `'unreachable'` in every mode; `'cors'` in cors mode
   * only (a no-cors request gets an opaque response: the upstream is there, CORS hides it).
   */
  reject?: 'unreachable' | 'cors';
  /** Set, or with null remove, response headers after everything else. */
  headers?: Record<string, string | null>;
}

/** The response headers a CORS read sees without Access-Control-Expose-Headers (Fetch §2.2.6). */
const SAFELISTED = [
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
];
const PORTAL = new TextEncoder().encode('<!doctype html><title>Sign in to Wi-Fi</title>');
/**
 * Status, headers and full body (null for HEAD) of the fake upstream's answer to a request with
 * `method` and `Range` header `range`, serving `content`, misbehaving as `fault` says. Pure: the
 * wire (held headers, stalls, aborts) is `fakeUpstream`'s and `fakeBody`'s.
 */
export function planFakeAnswer(
  request: { method: string; range: string | null },
  content: Content,
  fault: Fault,
): { status: number; headers: Headers; body: Uint8Array | null } {
  const headers = new Headers();
  let status: number;
  let body: Uint8Array;
  if (fault.captivePortal) {
    status = 200;
    body = PORTAL;
    headers.set('Content-Type', 'text/html; charset=utf-8');
  } else if (fault.status !== undefined) {
    status = fault.status;
    body = new TextEncoder().encode(`status ${status}`);
    headers.set('Content-Type', 'text/plain');
    if (status === 416) headers.set('Content-Range', `bytes */${content.size}`);
  } else {
    headers.set('Content-Type', content.contentType);
    headers.set('ETag', content.etag);
    headers.set('Last-Modified', content.lastModified);
    headers.set('Accept-Ranges', 'bytes');
    // RFC 9110 §14.2: Range is defined for GET only; a server may also ignore it.
    const range =
      request.range !== null && request.method === 'GET' && !fault.ignoreRange
        ? resolveFakeRange(request.range, content.size)
        : 'ignore';
    let start = 0;
    let end = content.size; // exclusive
    if (range === 'ignore') {
      status = 200;
    } else if (range === 'unsatisfiable') {
      status = 416;
      end = 0;
      headers.set('Content-Range', `bytes */${content.size}`);
    } else {
      status = 206;
      start = range.start;
      end = range.end + 1;
      headers.set('Content-Range', `bytes ${range.start}-${range.end}/${content.size}`);
    }
    body = syntheticBytes(
      content.seed,
      start,
      end + (status === 416 ? 0 : (fault.extraBytes ?? 0)),
    );
  }
  if (fault.extraBytes === undefined) headers.set('Content-Length', String(body.length));
  if (fault.hideHeaders) {
    for (const name of [...headers.keys()]) {
      if (!SAFELISTED.includes(name)) headers.delete(name);
    }
  }
  for (const [name, value] of Object.entries(fault.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return { status, headers, body: request.method === 'HEAD' ? null : body };
}
