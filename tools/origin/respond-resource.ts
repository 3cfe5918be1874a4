/**
 * GET/HEAD of a resource: validators, Range / If-Range evaluation, and the throttled body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsHeaders } from './cors.ts';
import { ifRangeHolds } from './if-range.ts';
import type { Knobs } from './knobs.ts';
import type { LogEntry } from './log-entry.ts';
import { preconditionStatus } from './preconditions.ts';
import { contentRange, parseRange, type RangeSelection, unsatisfiedContentRange } from './range.ts';
import type { Throttle } from './rate-limits.ts';
import type { Resource } from './resource.ts';
import { writeThrottled } from './throttled-writer.ts';

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  resource: Resource;
  knobs: Knobs;
  entry: LogEntry;
  throttle: Throttle;
  /** The `holdAfter` knob's wait (`HoldGate.wait`). */
  hold?: (signal: AbortSignal) => Promise<boolean>;
  signal: AbortSignal;
}

/** Which part of the representation to send, after If-Range and the ignoreRange knob. */
export function selectRange(
  req: IncomingMessage,
  resource: Resource,
  knobs: Knobs,
): RangeSelection {
  const range = req.headers.range;
  if (range === undefined) return { type: 'full', reason: 'absent' };
  if (knobs.ignoreRange) return { type: 'full', reason: 'ignored' };
  // Deliberate bugs, for proving that a range checker catches them.
  const closed = /^bytes=\d+-(\d+)$/.exec(range);
  if (knobs.overlongRange416 && closed && Number(closed[1]) >= resource.size)
    return { type: 'unsatisfiable' };
  if (knobs.ignoreSuffix && /^bytes=-\d+$/.test(range)) return { type: 'full', reason: 'ignored' };
  // §13.1.5: If-Range is only evaluated together with Range; when its validator does not match
  // the current representation the server ignores Range and sends the whole new one.
  // A repeated If-Range (Node hands over an array) is not a valid validator: it never holds.
  const ifRange = req.headers['if-range'];
  if (ifRange !== undefined) {
    const holds =
      typeof ifRange === 'string' && ifRangeHolds(ifRange, resource.etag, resource.lastModified);
    if (!holds) return { type: 'full', reason: 'ignored' };
  }
  return parseRange(range, resource.size);
}

/**
 * Answer with the (partial) representation. HEAD gets exactly the GET header fields, including
 * 206/416 for ranges (§9.3.2: "the same header fields ... as if the request method had been GET").
 */
export async function respondWithResource(request: ResourceRequest): Promise<void> {
  const { req, res, resource, knobs, entry } = request;
  const headers: Record<string, string> = {
    ...corsHeaders(req.headers, knobs),
    // §14.3: advertise range support on every response, so clients know to ask for ranges.
    'Accept-Ranges': 'bytes',
    ETag: resource.etag,
    'Last-Modified': resource.lastModified,
    // Tests and benchmarks must always reach the origin; no HTTP cache in between.
    'Cache-Control': 'no-store',
  };
  // §14.2: the preconditions first; Range (and If-Range) only once they held.
  const precondition = knobs.ignorePreconditions
    ? null
    : preconditionStatus(
        {
          ifMatch: req.headers['if-match'],
          ifNoneMatch: req.headers['if-none-match'],
          ifModifiedSince: req.headers['if-modified-since'],
          ifUnmodifiedSince: req.headers['if-unmodified-since'],
        },
        resource.etag,
        resource.lastModified,
        knobs.datesBesideTags,
      );
  if (precondition !== null) {
    // §15.4.5: a 304 carries the validators a 200 would have; neither carries content.
    entry.status = precondition;
    res.writeHead(
      precondition,
      precondition === 304 ? headers : { ...headers, 'Content-Length': '0' },
    );
    res.end();
    return;
  }

  const selection = selectRange(req, resource, knobs);

  if (selection.type === 'unsatisfiable') {
    // §15.5.17: 416 carries the current length so the client can correct itself.
    const body = Buffer.from('Range Not Satisfiable\n');
    headers['Content-Range'] = unsatisfiedContentRange(resource.size);
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    headers['Content-Length'] = String(body.length);
    entry.status = 416;
    res.writeHead(416, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  let start = 0;
  let end = resource.size; // exclusive
  let status = 200;
  if (selection.type === 'partial') {
    start = selection.start;
    end = selection.end + 1;
    status = 206;
    // wrongContentRange: the whole range is shifted by one, same length, so only a client that
    // checks the first position against what it asked for notices.
    const shift = knobs.wrongContentRange ? 1 : 0;
    headers['Content-Range'] = contentRange(start + shift, selection.end + shift, resource.size);
  }
  headers['Content-Type'] = resource.contentType;
  headers['Content-Length'] = String(end - start);
  entry.status = status;
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const resetAfter =
    knobs.resetAfter !== undefined && knobs.resetAfter < end - start ? knobs.resetAfter : undefined;
  const holdAfter =
    knobs.holdAfter !== undefined && knobs.holdAfter < end - start ? knobs.holdAfter : undefined;
  await writeThrottled(res, resource.read(start, end), {
    throttle: request.throttle,
    resetAfter,
    holdAfter,
    hold: request.hold,
    signal: request.signal,
    onBytes: (count) => {
      entry.bytesSent += count;
      // The response is over on the wire when its last byte leaves, not when Node gets round to
      // its 'close' event: a client may already have started its next request in between, and
      // the log must not show the two overlapping.
      if (entry.bytesSent === end - start) entry.end = performance.now();
    },
  });
}
