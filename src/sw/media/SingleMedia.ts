import type { Validators } from '../http/preconditions.ts';
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
  /**
   * An upstream answer contradicted the probe (size, ETag or Last-Modified): the next request
   * probes again instead of promising the old size.
   */
  stale = false;
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
    /** The probe's ETag and Last-Modified (null when absent or hidden by CORS). */
    readonly validators: Validators = { etag: null, lastModified: null },
  ) {}

  /** An upstream answer showed the content changed (see `stale`). */
  changed(why: string): void {
    this.stale = true;
    this.counters.lastError = why;
    this.counters.changed();
  }

  close(): void {
    this.closed = true;
    this.counters.changed();
  }
}
