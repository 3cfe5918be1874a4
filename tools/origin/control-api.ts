/**
 * `/_control/*`: the origin's log and knobs for processes that do not share its memory
 * (a browser test, a benchmark page, a script). Control requests are not logged, not counted
 * and not throttled, so observing the origin does not disturb what is observed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsHeaders, preflightHeaders } from './cors.ts';
import { type Knobs, knobsFromJson } from './knobs.ts';
import type { LogEntry } from './log-entry.ts';
import { sendJson, sendText } from './plain-response.ts';

export const CONTROL_PREFIX = '/_control/';

/** What the control API operates on (the Origin object satisfies it). */
export interface ControlTarget {
  log: LogEntry[];
  clearLog(): void;
  setKnobs(pathPrefix: string, knobs: Knobs): void;
  resetKnobs(): void;
  whenIdle(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const CONTROL_METHODS = 'GET, POST, OPTIONS';

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function setKnobsFromBody(req: IncomingMessage, target: ControlTarget): Promise<string[]> {
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (error) {
    return [`invalid JSON body: ${(error as Error).message}`];
  }
  if (typeof body !== 'object' || body === null) return ['body must be a JSON object'];
  const { prefix, knobs: rawKnobs } = body as { prefix?: unknown; knobs?: unknown };
  if (typeof prefix !== 'string') return ['"prefix" must be a string'];
  const { knobs, errors } = knobsFromJson(rawKnobs ?? {});
  if (errors.length === 0) target.setKnobs(prefix, knobs);
  return errors;
}

/** A handler's answer: JSON with 200/400, or 204 No Content when `json` is absent. */
interface ControlResult {
  status: number;
  json?: unknown;
}

type Handler = (req: IncomingMessage, target: ControlTarget) => Promise<ControlResult>;

const NO_CONTENT: ControlResult = { status: 204 };

const ROUTES: Record<string, Handler> = {
  'GET /_control/log': async (_req, target) => ({ status: 200, json: target.log }),
  'POST /_control/log/clear': async (_req, target) => {
    target.clearLog();
    return NO_CONTENT;
  },
  'POST /_control/knobs': async (req, target) => {
    const errors = await setKnobsFromBody(req, target);
    return errors.length > 0 ? { status: 400, json: { errors } } : NO_CONTENT;
  },
  // Knobs, counters and log: one call to start the next test from a clean state.
  'POST /_control/reset': async (_req, target) => {
    target.resetKnobs();
    target.clearLog();
    return NO_CONTENT;
  },
  // Long-poll: answers once no response is in progress (whenIdle for other processes).
  'GET /_control/idle': async (_req, target) => {
    await target.whenIdle();
    return NO_CONTENT;
  },
};

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  target: ControlTarget,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    res.writeHead(204, preflightHeaders(req.headers, CONTROL_METHODS, {}));
    res.end();
    return;
  }
  const cors = corsHeaders(req.headers, {});
  const handler = ROUTES[`${method} ${path}`];
  if (!handler) {
    const known = Object.keys(ROUTES).some((route) => route.endsWith(` ${path}`));
    if (known) sendText(res, 405, 'Method Not Allowed', { ...cors, Allow: CONTROL_METHODS });
    else sendText(res, 404, 'Not Found', cors);
    return;
  }
  const result = await handler(req, target);
  if (result.json === undefined) {
    res.writeHead(result.status, { ...cors, 'Cache-Control': 'no-store' });
    res.end();
  } else {
    sendJson(res, result.status, result.json, cors);
  }
}
