import { fetchUpstream } from './fetchUpstream.ts';
import type { Upstream } from './UpstreamInfo.ts';

/**
 * A ranged request started before anybody asked for it: chunk 0 of a media seen for the first
 * time, sent alongside the probe so the probe's round trip is not paid before the first chunk's
 * (BENCHMARKS.md S4: the probe was the remaining gap to a direct first frame). Nothing it carries
 * is trusted until `fetchChunk` validates it against the probe, exactly like any chunk response;
 * if nobody adopts it within `unusedMs`, it is aborted. Its headers have the upstream's deadline
 * (`fetchUpstream`) from the moment it is sent, adopted or not.
 */
export class EarlyRange {
  readonly response: Promise<Response>;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    upstream: Upstream,
    readonly start: number,
    readonly end: number,
    unusedMs = 5000,
  ) {
    const headers = new Headers(upstream.headers);
    headers.set('Range', `bytes=${start}-${end}`);
    this.response = fetchUpstream(upstream, {
      headers,
      signal: this.controller.signal,
    });
    this.response.catch(() => undefined); // reported to whoever adopts it
    this.timer = setTimeout(
      () => this.abort(new DOMException('early range unused', 'AbortError')),
      unusedMs,
    );
  }

  /** True once aborted (unused too long, or by its adopter): its response is useless then. */
  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  /** Take it over: the timer no longer aborts it; `abort` is now the adopter's to call. */
  adopt(): this {
    clearTimeout(this.timer);
    return this;
  }

  abort(reason: unknown): void {
    clearTimeout(this.timer);
    this.controller.abort(reason);
    this.response.then(
      (r) => r.body?.cancel().catch(() => undefined),
      () => undefined,
    );
  }
}
