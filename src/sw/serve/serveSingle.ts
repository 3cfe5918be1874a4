import { ProxyError } from '../errors/ProxyError.ts';
import { buildResponse, rangeBounds, representationHeaders } from '../http/buildResponse.ts';
import { type AnswerDecision, decideAnswer } from '../http/preconditions.ts';
import type { SingleMedia } from '../media/SingleMedia.ts';
import { fetchUpstream } from '../upstream/fetchUpstream.ts';
import { openUpstreamBody } from '../upstream/openUpstreamBody.ts';
import { isTimeout } from '../upstream/UpstreamTimeouts.ts';

/**
 * Single mode: the client's range goes to the upstream as one request and the answer streams
 * back, re-wrapped in a response of our own (never the upstream's object: Chromium's media
 * loader rejects mixed origins for one URL) with headers we computed. When the upstream ignores
 * ranges, `openUpstreamBody` cuts the range out of its 200 so the client still gets an exact 206.
 * Nothing is cached. With the size unknown, ranges cannot be answered exactly: 200, whole body.
 * With it known, every upstream answer is checked against the probe (size, ETag, Last-Modified;
 * the whole body's exact length): a change marks the media stale, so the next request probes
 * again, and the proxy retries once a request that had not started (`StreamProxy.handle`).
 * Every upstream request has the upstream's deadlines (`openUpstreamBody`); an opaque
 * pass-through only the header one, its body being the browser's to read.
 */
export async function serveSingle(runtime: SingleMedia, request: Request): Promise<Response> {
  const size = runtime.size;
  const signal = new AbortController().signal;
  const count = (n: number) => {
    runtime.counters.upstreamBytes += n;
  };
  if (runtime.opaque) {
    if (request.mode === 'no-cors') {
      return fetchUpstream(runtime.upstream, { mode: 'no-cors' }).catch((error: unknown) => {
        const detail = `${runtime.upstream.url}: ${(error as Error).message}`;
        throw new ProxyError(
          isTimeout(error) ? 'upstream-timeout' : 'upstream-unreachable',
          {},
          detail,
        );
      });
    }
    throw new ProxyError(
      'upstream-invalid',
      {},
      'The upstream sends no CORS headers, so only a no-cors request can use it.',
    );
  }
  if (size === null) {
    // Without a size no range can be answered exactly, and the body is asked for without one
    // (the browser may then negotiate a compressed encoding, with validators of its own): the
    // answer carries this answer's validators, and the preconditions are decided on them.
    const upstream = await openUpstreamBody(runtime.upstream, null, signal, count);
    const { etag, lastModified } = upstream;
    let decision: AnswerDecision;
    try {
      decision = decideAnswer(request.headers, 0, { etag, lastModified });
    } catch (error) {
      await upstream.body.cancel();
      throw error;
    }
    if (decision.kind === 'not-modified') {
      await upstream.body.cancel();
      const meta = { size: 0, contentType: null, etag, lastModified };
      return buildResponse(decision, meta, null, request.method);
    }
    // No Accept-Ranges: without a size, no range is answered.
    const headers = representationHeaders({
      contentType: upstream.contentType,
      etag,
      lastModified,
      download: request.mode === 'navigate',
    });
    if (request.method === 'HEAD') {
      await upstream.body.cancel(); // only the headers were wanted: release the connection
      return new Response(null, { status: 200, headers });
    }
    return new Response(upstream.body, { status: 200, headers });
  }
  const { etag, lastModified } = runtime.validators;
  const range = decideAnswer(request.headers, size, runtime.validators);
  const meta = {
    size,
    contentType: runtime.contentType,
    etag,
    lastModified,
    download: request.mode === 'navigate',
  };
  const bounds = rangeBounds(range, size);
  if (request.method === 'HEAD' || bounds === null)
    return buildResponse(range, meta, null, request.method);
  // Checked against the probe: a new size or validator is a change (the next request probes
  // again), and a whole body must be exactly the size the answer promises. The whole body is
  // asked for as a range too, so the browser asks for identity bytes, as for the probe.
  const onChanged = (why: string) => runtime.changed(why);
  const upstream = await openUpstreamBody(runtime.upstream, bounds, signal, count, {
    size,
    etag,
    lastModified,
    onChanged,
  });
  return buildResponse(range, meta, upstream.body, request.method);
}
