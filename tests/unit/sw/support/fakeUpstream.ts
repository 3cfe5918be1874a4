/**
 * A scripted upstream for Node tests: an `UpstreamFetch` that serves a synthetic media with the
 * range semantics of RFC 9110 (206 + Content-Range + Content-Length; 416 with `bytes *\/N`; 200
 * without a range), misbehaves exactly where a test scripts it (`fault`, `changeFrom`), and
 * records every request so a test asserts what the worker decided — which ranges it asked, how
 * many were in flight, what it aborted — never how long anything took.
 *
 * Built on Node's own Response/ReadableStream/Headers, so bodies stream, cancel and error the
 * way the code under test sees them in a browser.
 */
import type { UpstreamFetch } from '../../../../src/sw/upstream/UpstreamFetch.ts';
import type { Upstream } from '../../../../src/sw/upstream/UpstreamInfo.ts';
import { fakeBody } from './fakeBody.ts';
import { type Content, type Fault, planFakeAnswer } from './planFakeAnswer.ts';
import { syntheticBytes } from './syntheticBytes.ts';

export type { Content, Fault };

/** Which requests a fault applies to: an index (0 is the first request), indexes, or a test. */
export type FaultWhen = number | readonly number[] | ((request: RecordedRequest) => boolean);

/**
 * How a request ended: body read to its end, cancelled by the reader, aborted by its signal,
 * broken by the network (`errorAfter`), or the fetch itself rejected (`reject`).
 */
export type EndHow = 'complete' | 'cancelled' | 'aborted' | 'errored' | 'rejected';

export interface RecordedRequest {
  readonly index: number;
  readonly url: string;
  readonly method: string;
  /** The `Range` header as sent, or null. */
  readonly range: string | null;
  /** Every other request header, names lower-cased. */
  readonly headers: Record<string, string>;
  /** The init exactly as the caller passed it (mode, cache, credentials, signal...). */
  readonly init: RequestInit;
  /** Which content version answered it (0 until the first `changeFrom`). */
  readonly version: number;
  /** Its place in the fake's order of events (starts and ends share one counter). */
  readonly startedAt: number;
  /** Requests in flight the moment it started, itself included. */
  readonly inFlightAtStart: number;
  /** Body bytes handed to the reader so far. */
  sent: number;
  /** True when its signal aborted while it was in flight. */
  aborted: boolean;
  /** How it ended and when, in the fake's order of events; null while in flight. */
  end: { how: EndHow; at: number } | null;
  /** Resolves when its body reaches the scripted stall. */
  readonly stalled: Promise<void>;
  /** Resolves when it ends, however it ends. */
  readonly ended: Promise<void>;
}

const NEVER = new Promise<never>(() => undefined);

export class FakeUpstream {
  readonly url: string;
  readonly requests: RecordedRequest[] = [];
  /** The most requests that were in flight at once. */
  maxInFlight = 0;
  /** The fetch to hand to the code under test. */
  readonly fetch: UpstreamFetch = (url, init) => this.answer(url, init);

  private readonly versions: { from: number; content: Content }[];
  private readonly faults: { when: FaultWhen | undefined; fault: Fault }[] = [];
  private readonly waiting = new Map<number, ((request: RecordedRequest) => void)[]>();
  private readonly pieceBytes: number;
  private events = 0;

  /** @param options.pieceBytes - the most body bytes handed over per read (default 1024). */
  constructor(options: Partial<Content> & { url?: string; pieceBytes?: number } = {}) {
    this.url = options.url ?? 'https://upstream.test/media.mp4';
    this.pieceBytes = options.pieceBytes ?? 1024;
    const seed = options.seed ?? 1;
    const size = options.size ?? 10_000;
    this.versions = [
      {
        from: 0,
        content: {
          seed,
          size,
          etag: options.etag ?? `"${seed}-${size}"`,
          lastModified: options.lastModified ?? lastModified(0),
          contentType: options.contentType ?? 'video/mp4',
        },
      },
    ];
  }

  /** An `Upstream` reached through this fake. */
  upstream(headers: Record<string, string> = {}): Upstream {
    return { url: this.url, headers, fetch: this.fetch };
  }

  /** Content version `version` (0: the original). */
  content(version = 0): Content {
    const found = this.versions[version];
    if (!found) throw new Error(`no content version ${version}`);
    return found.content;
  }

  /** Bytes `[start, end]` (inclusive) of content version `version`. */
  bytes(start: number, end: number, version = 0): Uint8Array {
    return syntheticBytes(this.content(version).seed, start, end + 1);
  }

  /** Misbehave on the requests `when` picks (every request when omitted). */
  fault(fault: Fault, when?: FaultWhen): this {
    this.faults.push({ when, fault });
    return this;
  }

  /**
   * From request `index` on, serve other content. Its ETag follows seed and size, and its
   * Last-Modified moves on, unless `change` sets them.
   */
  changeFrom(index: number, change: Partial<Content>): this {
    const previous = this.content(this.versions.length - 1);
    const seed = change.seed ?? previous.seed + 1;
    const size = change.size ?? previous.size;
    this.versions.push({
      from: index,
      content: {
        ...previous,
        seed,
        size,
        etag: `"${seed}-${size}"`,
        lastModified: lastModified(this.versions.length),
        ...change,
      },
    });
    return this;
  }

  /** Requests not ended yet. */
  inFlight(): number {
    return this.requests.filter((r) => r.end === null).length;
  }

  /** Request `index` once it has been made. */
  request(index: number): Promise<RecordedRequest> {
    const made = this.requests[index];
    if (made) return Promise.resolve(made);
    return new Promise((resolve) => {
      this.waiting.set(index, [...(this.waiting.get(index) ?? []), resolve]);
    });
  }

  private async answer(url: string, init: RequestInit): Promise<Response> {
    const sent = new Headers(init.headers);
    const headers: Record<string, string> = {};
    sent.forEach((value, name) => {
      if (name !== 'range') headers[name] = value;
    });
    let stalled!: () => void;
    let ended!: () => void;
    const index = this.requests.length;
    const version = this.versionAt(index);
    const request: RecordedRequest = {
      index,
      url,
      method: (init.method ?? 'GET').toUpperCase(),
      range: sent.get('Range'),
      headers,
      init,
      version,
      startedAt: this.events++,
      inFlightAtStart: this.inFlight() + 1,
      sent: 0,
      aborted: false,
      end: null,
      stalled: new Promise((resolve) => {
        stalled = resolve;
      }),
      ended: new Promise((resolve) => {
        ended = resolve;
      }),
    };
    this.requests.push(request);
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight());
    for (const resolve of this.waiting.get(index) ?? []) resolve(request);
    this.waiting.delete(index);

    const fault = this.faultFor(request);
    const signal = init.signal ?? undefined;
    const reason = () => signal?.reason ?? new DOMException('aborted', 'AbortError');
    let abortBodyNow: (() => void) | null = null;
    let aborted!: () => void;
    const abortedOnce = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const onAbort = () => {
      if (request.end !== null) return;
      request.aborted = true;
      aborted();
      abortBodyNow?.();
    };
    const finish = (how: EndHow) => {
      if (request.end !== null) return;
      request.end = { how, at: this.events++ };
      signal?.removeEventListener('abort', onAbort);
      ended();
    };
    if (signal?.aborted) {
      request.aborted = true;
      finish('aborted');
      throw reason();
    }
    signal?.addEventListener('abort', onAbort);

    if (fault.holdHeaders !== undefined) {
      await Promise.race([fault.holdHeaders === 'never' ? NEVER : fault.holdHeaders, abortedOnce]);
    }
    // Fetch rejects with the signal's reason, whenever the abort comes (Fetch §5.1 "abort").
    if (request.aborted) {
      finish('aborted');
      throw reason();
    }
    if (fault.reject === 'unreachable' || (fault.reject === 'cors' && init.mode !== 'no-cors')) {
      finish('rejected');
      throw new TypeError('Failed to fetch');
    }
    if (init.mode === 'no-cors') {
      finish('complete');
      return opaque();
    }

    const answer = planFakeAnswer(request, this.content(version), fault);
    let response: Response;
    if (answer.body === null) {
      response = new Response(null, { status: answer.status, headers: answer.headers });
      finish('complete');
    } else {
      const stream = fakeBody(answer.body, fault, this.pieceBytes, {
        aborted: abortedOnce,
        reason,
        onAbort: (abortBody) => {
          abortBodyNow = abortBody;
        },
        stalled,
        sent: (bytes) => {
          request.sent = bytes;
        },
        finish,
        ended: () => request.end !== null,
      });
      response = new Response(stream, { status: answer.status, headers: answer.headers });
    }
    Object.defineProperties(response, {
      url: { value: fault.redirectedTo ?? url },
      redirected: { value: fault.redirectedTo !== undefined },
    });
    return response;
  }

  /** The content version that answers request `index`: the latest one begun by then. */
  private versionAt(index: number): number {
    let version = 0;
    this.versions.forEach((v, i) => {
      if (v.from <= index) version = i;
    });
    return version;
  }

  private faultFor(request: RecordedRequest): Fault {
    let merged: Fault = {};
    for (const { when, fault } of this.faults) {
      const applies =
        when === undefined ||
        (typeof when === 'number'
          ? when === request.index
          : typeof when === 'function'
            ? when(request)
            : when.includes(request.index));
      if (applies) merged = { ...merged, ...fault };
    }
    return merged;
  }
}

export function fakeUpstream(
  options?: ConstructorParameters<typeof FakeUpstream>[0],
): FakeUpstream {
  return new FakeUpstream(options);
}

/** What a no-cors request gets from a cross-origin upstream: status 0, nothing readable. */
function opaque(): Response {
  const response = new Response(null);
  Object.defineProperties(response, {
    type: { value: 'opaque' },
    status: { value: 0 },
    ok: { value: false },
  });
  return response;
}

/** Last-Modified of content version `version`: one day later per version. */
function lastModified(version: number): string {
  return new Date(Date.UTC(2015, 9, 21 + version, 7, 28)).toUTCString();
}
