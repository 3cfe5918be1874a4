import type { AnswerDecision } from './preconditions.ts';
import { servedContentType } from './servedContentType.ts';

/** What the response says about the representation. */
export interface RepresentationMeta {
  size: number;
  contentType: string | null;
  etag?: string | null;
  lastModified?: string | null;
  /** A navigation asked for it (the URL opened as a page): answer as a download. */
  download?: boolean;
}

/**
 * The response for a request already decided by `decideAnswer` (RFC 9110 §15.3.7, §14.4,
 * §15.5.17, §15.4.5): 200 with the whole body, 206 with an exact `Content-Range`, 416 with
 * `Content-Range: bytes *\/size`, or 304 with no body. `body` must hold exactly the bytes the status promises; it is
 * dropped for HEAD. Every response is built here, never passed through from the upstream:
 * Chromium's media loader rejects a URL whose range responses mix origins
 * (`UrlData::ValidateDataOrigin`, see README "Platform facts").
 */
export function buildResponse(
  range: AnswerDecision,
  meta: RepresentationMeta,
  body: ReadableStream<Uint8Array> | Blob | null,
  method: string,
): Response {
  const headers = representationHeaders(meta);
  headers.set('Accept-Ranges', 'bytes');

  if (range.kind === 'not-modified') {
    // §15.4.5: the validators and caching headers a 200 would carry; no content headers.
    headers.delete('Content-Type');
    return new Response(null, { status: 304, statusText: 'Not Modified', headers });
  }
  if (range.kind === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${meta.size}`);
    headers.set('Content-Length', '0');
    return new Response(null, { status: 416, statusText: 'Range Not Satisfiable', headers });
  }
  const payload = method === 'HEAD' ? null : body;
  if (range.kind === 'full') {
    headers.set('Content-Length', String(meta.size));
    return new Response(payload, { status: 200, statusText: 'OK', headers });
  }
  headers.set('Content-Range', `bytes ${range.start}-${range.end}/${meta.size}`);
  headers.set('Content-Length', String(range.end - range.start + 1));
  return new Response(payload, { status: 206, statusText: 'Partial Content', headers });
}

/**
 * Byte bounds `[start, end]` (inclusive) a decided answer covers; null for 304, 416 or an empty
 * body.
 */
export function rangeBounds(
  range: AnswerDecision,
  size: number,
): { start: number; end: number } | null {
  if (range.kind === 'partial') return { start: range.start, end: range.end };
  if (range.kind === 'full' && size > 0) return { start: 0, end: size - 1 };
  return null;
}

/**
 * The headers every answer with a body of the representation carries, whatever its status:
 * caching, type, sniffing and sandboxing, the download disposition, the validators.
 */
export function representationHeaders(meta: Omit<RepresentationMeta, 'size'>): Headers {
  const headers = new Headers({
    'Cache-Control': 'no-store',
    // The bytes are exactly the upstream's encoded bytes (we ask for identity); only media types
    // pass, and nothing is sniffed or run: a stream URL opened as a page is a sandboxed download.
    'Content-Type': servedContentType(meta.contentType),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': 'sandbox',
  });
  if (meta.download) headers.set('Content-Disposition', 'attachment');
  if (meta.etag) headers.set('ETag', meta.etag);
  if (meta.lastModified) headers.set('Last-Modified', meta.lastModified);
  return headers;
}
