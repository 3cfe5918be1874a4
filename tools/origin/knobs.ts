/**
 * Knobs: per-path behaviour of the origin (throttling and injected faults), and their parsing
 * from query strings (`?rate=1000&ignoreRange=1`) and from control-API JSON.
 */

export interface Knobs {
  /** Per-connection rate cap, bytes/s (token bucket on socket writes). */
  rate?: number;
  /**
   * Per-response rate cap, bytes/s, paced strictly from the response's first byte: no burst is
   * carried over from an idle keep-alive connection (as nginx's `limit_rate` behaves), so a gap
   * between two responses on one connection is lost time, not credit for the next one.
   */
  responseRate?: number;
  /** Total link cap across all connections of this origin, bytes/s (shared token bucket). */
  linkRate?: number;
  /** Delay in ms before the response headers are sent. */
  ttfb?: number;
  /** Cap on simultaneous in-progress responses for matching paths; extras wait in FIFO order. */
  maxConns?: number;
  /** 1-based request numbers (counted per path) that fail... */
  failNth?: number[];
  /** ...with this status (default 503). */
  failStatus?: number;
  /** Destroy the socket after sending this many body bytes. */
  resetAfter?: number;
  /**
   * Stop after sending this many body bytes (0: right after the headers) until the test calls
   * `origin.releaseHeld()` or the client leaves.
   */
  holdAfter?: number;
  /** Hold the response before its headers until `origin.releaseHeld()` (or the client leaves). */
  holdHeaders?: boolean;
  /** Answer 200 with the full body to ranged requests. */
  ignoreRange?: boolean;
  /** Send a Content-Range shifted by +1 (body still the requested bytes). */
  wrongContentRange?: boolean;
  /** After this many requests to the path, content and ETag/Last-Modified change. */
  changeAfter?: number;
  /** Omit Access-Control-Expose-Headers. */
  noExpose?: boolean;
  /** Omit all CORS headers. */
  noCors?: boolean;
  /** Force this status for every request, with a short text body. */
  status?: number;
  /** Answer every request like a captive portal: 200 with an HTML sign-in page, ranges ignored. */
  portal?: boolean;
  /**
   * A deliberately wrong range server: a range whose last byte is past the end answers 416
   * instead of being shortened (what Workbox's range handler does).
   */
  overlongRange416?: boolean;
  /** A deliberately wrong range server: a suffix range (`bytes=-N`) answers 200 with it all. */
  ignoreSuffix?: boolean;
  /**
   * A server without conditional requests: `If-Match`, `If-None-Match`, `If-Modified-Since` and
   * `If-Unmodified-Since` are ignored (`If-Range` is still honoured).
   */
  ignorePreconditions?: boolean;
  /**
   * A server that evaluates `If-Unmodified-Since` beside `If-Match` and `If-Modified-Since`
   * beside `If-None-Match`, where RFC 9110 §13.2.2 evaluates a date only without its tag.
   */
  datesBesideTags?: boolean;
  /** The ETag marked weak (`W/"…"`): If-Range and If-Match then never hold with it. */
  weakEtag?: boolean;
}

type KnobName = keyof Knobs;
type Kind = 'rate' | 'count' | 'status' | 'list' | 'flag';

const KINDS: Record<KnobName, Kind> = {
  portal: 'flag',
  rate: 'rate',
  responseRate: 'rate',
  linkRate: 'rate',
  ttfb: 'count',
  maxConns: 'count',
  failNth: 'list',
  failStatus: 'status',
  resetAfter: 'count',
  holdAfter: 'count',
  holdHeaders: 'flag',
  ignoreRange: 'flag',
  wrongContentRange: 'flag',
  changeAfter: 'count',
  noExpose: 'flag',
  noCors: 'flag',
  status: 'status',
  overlongRange416: 'flag',
  ignoreSuffix: 'flag',
  ignorePreconditions: 'flag',
  datesBesideTags: 'flag',
  weakEtag: 'flag',
};

export const KNOB_NAMES = Object.keys(KINDS) as KnobName[];

function toNumber(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && raw.trim() !== '') return Number(raw);
  return Number.NaN;
}

function toFlag(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  const text = String(raw).toLowerCase();
  // A bare `?noCors` reads as "on", like an HTML boolean attribute.
  if (['1', 'true', 'yes', 'on', ''].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  return undefined;
}

function toList(raw: unknown): number[] | undefined {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
  const numbers = items.filter((item) => String(item).trim() !== '').map(toNumber);
  return numbers.every((n) => Number.isInteger(n) && n >= 1) ? numbers : undefined;
}

/** Parse one knob value; undefined when it is not valid for that knob. */
export function parseKnob(name: KnobName, raw: unknown): Knobs[KnobName] {
  switch (KINDS[name]) {
    case 'rate': {
      const n = toNumber(raw);
      return Number.isFinite(n) && n > 0 ? n : undefined;
    }
    case 'count': {
      const n = toNumber(raw);
      return Number.isInteger(n) && n >= 0 ? n : undefined;
    }
    case 'status': {
      // Final statuses only: a forced 1xx would leave the client waiting for a final response.
      const n = toNumber(raw);
      return Number.isInteger(n) && n >= 200 && n <= 599 ? n : undefined;
    }
    case 'list':
      return toList(raw);
    case 'flag':
      return toFlag(raw);
  }
}

function assign(knobs: Knobs, name: KnobName, value: Knobs[KnobName]): void {
  (knobs as Record<KnobName, Knobs[KnobName]>)[name] = value;
}

/** Knobs from a query string; invalid values and unknown parameters are ignored. */
export function knobsFromQuery(params: URLSearchParams): Knobs {
  const knobs: Knobs = {};
  for (const name of KNOB_NAMES) {
    const raw = params.get(name);
    if (raw === null) continue;
    const value = parseKnob(name, raw);
    if (value !== undefined) assign(knobs, name, value);
  }
  return knobs;
}

/** Knobs from untrusted JSON; returns the errors instead of silently dropping bad values. */
export function knobsFromJson(json: unknown): { knobs: Knobs; errors: string[] } {
  const knobs: Knobs = {};
  const errors: string[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { knobs, errors: ['knobs must be a JSON object'] };
  }
  for (const [name, raw] of Object.entries(json)) {
    if (!(name in KINDS)) {
      errors.push(`unknown knob ${name}`);
      continue;
    }
    if (raw === null || raw === undefined) continue;
    const value = parseKnob(name as KnobName, raw);
    if (value === undefined) errors.push(`invalid value for ${name}: ${JSON.stringify(raw)}`);
    else assign(knobs, name as KnobName, value);
  }
  return { knobs, errors };
}

/** Copy without undefined members, so merging never erases a knob by accident. */
export function definedKnobs(knobs: Knobs): Knobs {
  const out: Knobs = {};
  for (const name of KNOB_NAMES) {
    const value = knobs[name];
    if (value !== undefined) assign(out, name, value);
  }
  return out;
}
