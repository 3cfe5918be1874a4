/**
 * The per-request pipeline for everything but the control API:
 * count → log → (preflight) → maxConns queue → ttfb → forced status / failNth → resource.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { sleep } from './abortable-wait.ts';
import type { ConnLimiter, Release } from './conn-limiter.ts';
import { CONTROL_PREFIX, type ControlTarget, handleControl } from './control-api.ts';
import { corsHeaders, preflightHeaders } from './cors.ts';
import { findResource, isResourcePath } from './find-resource.ts';
import type { HoldGate } from './hold-gate.ts';
import type { IdleTracker } from './idle-tracker.ts';
import type { KnobTable } from './knob-table.ts';
import { type Knobs, knobsFromQuery } from './knobs.ts';
import type { LogEntry } from './log-entry.ts';
import type { PathCounters } from './path-counters.ts';
import { sendPortal, sendText } from './plain-response.ts';
import type { RateLimits } from './rate-limits.ts';
import type { RequestWatchers } from './request-watchers.ts';
import { respondWithResource } from './respond-resource.ts';

/** Everything a request needs from its origin. */
export interface OriginState {
  root: string;
  log: LogEntry[];
  knobTable: KnobTable;
  counters: PathCounters;
  limiter: ConnLimiter;
  rateLimits: RateLimits;
  idle: IdleTracker;
  watchers: RequestWatchers;
  connIds: WeakMap<Socket, number>;
  nextEntryId(): number;
  control: ControlTarget;
  holds: HoldGate;
}

const RESOURCE_METHODS = 'GET, HEAD, OPTIONS';

function createEntry(state: OriginState, req: IncomingMessage, path: string): LogEntry {
  const now = performance.now();
  const socket = req.socket;
  return {
    id: state.nextEntryId(),
    connId: state.connIds.get(socket) ?? 0,
    method: req.method ?? 'GET',
    path,
    url: req.url ?? '/',
    range: req.headers.range ?? null,
    ifRange: [req.headers['if-range'] ?? []].flat().join(', ') || null,
    status: 0,
    arrived: now,
    start: now,
    end: null,
    bytesSent: 0,
    aborted: false,
  };
}

/** One request in progress, as the pipeline stages see it. */
interface Exchange {
  state: OriginState;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  knobs: Knobs;
  /** 1-based number of this request to its path (failNth, changeAfter). */
  requestNumber: number;
  entry: LogEntry;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** Status, fault and routing decisions once the response may start. */
async function respond(exchange: Exchange): Promise<void> {
  const { state, req, res, url, knobs, requestNumber, entry, signal } = exchange;
  const cors = corsHeaders(req.headers, knobs);
  const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
    entry.status = status;
    sendText(res, status, text, { ...cors, ...headers });
  };
  if (knobs.portal) {
    entry.status = 200;
    return sendPortal(res, cors);
  }
  if (knobs.status !== undefined) {
    return answer(knobs.status, `${knobs.status} ${STATUS_CODES[knobs.status] ?? ''} (forced)`);
  }
  if (knobs.failNth?.includes(requestNumber)) {
    const status = knobs.failStatus ?? 503;
    return answer(status, `${status} ${STATUS_CODES[status] ?? ''} (request #${requestNumber})`);
  }
  if (!isResourcePath(url.pathname)) return answer(404, 'Not Found');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    // RFC 9110 §15.5.6: a 405 must list the allowed methods in Allow.
    return answer(405, 'Method Not Allowed', { Allow: RESOURCE_METHODS });
  }
  const changed = knobs.changeAfter !== undefined && requestNumber > knobs.changeAfter;
  const found = await findResource(state.root, url.pathname, url.searchParams, changed ? 1 : 0);
  if (signal.aborted) return;
  if (found.kind === 'forbidden') return answer(403, 'Forbidden');
  if (found.kind === 'missing') return answer(404, 'Not Found');
  await respondWithResource({
    req,
    res,
    // A server that only vouches for equivalence, not identical bytes (RFC 9110 §8.8.1).
    resource: knobs.weakEtag
      ? { ...found.resource, etag: `W/${found.resource.etag}` }
      : found.resource,
    knobs,
    entry,
    throttle: state.rateLimits.throttleFor(req.socket, knobs),
    hold: (s) => state.holds.wait(s),
    signal,
  });
}

export async function handleRequest(
  state: OriginState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://origin.invalid');
  const path = url.pathname;
  if (path.startsWith(CONTROL_PREFIX)) return handleControl(req, res, path, state.control);

  const method = req.method ?? 'GET';
  const requestNumber = method === 'OPTIONS' ? 0 : state.counters.next(path);
  const query = knobsFromQuery(url.searchParams);
  if (query.holdAfter !== undefined || query.holdHeaders) state.holds.arm(); // asking to hold
  const { knobs, maxConnsKey } = state.knobTable.resolve(path, query);
  const entry = createEntry(state, req, path);
  state.log.push(entry);
  state.idle.begin();
  state.watchers.notify(entry);

  // 'close' fires once per response: after it completed, or when the connection went away
  // first. Only the latter aborts the work in progress.
  const abort = new AbortController();
  let release: Release | null = null;
  res.on('close', () => {
    if (!res.writableFinished) {
      entry.end = performance.now();
      entry.aborted = true;
      abort.abort();
    } else {
      entry.end ??= performance.now(); // bodiless answers; a body's end is its last byte
    }
    release?.();
    state.idle.end();
  });

  if (method === 'OPTIONS') {
    entry.status = 204;
    res.writeHead(204, preflightHeaders(req.headers, RESOURCE_METHODS, knobs));
    res.end();
    return;
  }
  if (knobs.maxConns !== undefined && knobs.maxConns > 0) {
    release = await state.limiter.acquire(maxConnsKey, knobs.maxConns, abort.signal);
    if (!release) return;
    // The client may have left between the grant and this continuation.
    if (abort.signal.aborted) return release();
    entry.start = performance.now();
  }
  if (knobs.ttfb && !(await sleep(knobs.ttfb, abort.signal))) return;
  if (knobs.holdHeaders && !(await state.holds.wait(abort.signal))) return;
  await respond({ state, req, res, url, knobs, requestNumber, entry, signal: abort.signal });
}
