import type { Upstream } from '../upstream/UpstreamInfo.ts';
import { MediaCounters } from './MediaCounters.ts';

/**
 * A media served in single mode: parallel chunking cannot work (the upstream ignores ranges,
 * hides its size, or is not readable through CORS), so every request goes to the upstream as
 * one pass-through read. Nothing is cached.
 */
export class SingleMedia {
  readonly mode = 'single' as const;
  readonly counters = new MediaCounters();
  /** Single media never go stale or close: each request is independent. */
  readonly stale = false;
  closed = false;

  constructor(
    readonly key: string,
    public upstream: Upstream,
    /** Why chunking cannot work. */
    readonly reason: string,
    /** From Content-Length when known. */
    readonly size: number | null,
    readonly contentType: string | null,
    /** The upstream sends no CORS headers: only no-cors requests can use it. */
    readonly opaque: boolean,
  ) {}

  close(): void {
    this.closed = true;
    this.counters.changed();
  }
}
