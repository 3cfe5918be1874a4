import type { Validation } from '../../shared/types.ts';
import type { UpstreamFetch } from './UpstreamFetch.ts';
import type { UpstreamTimeouts } from './UpstreamTimeouts.ts';

/** Where and how to reach a media's upstream. */
export interface Upstream {
  url: string;
  /** Extra request headers (e.g. `Authorization`); `Range`/`If-Range` are ours to set. */
  headers: Record<string, string>;
  /** How to send a request to it: every upstream request goes through here (see UpstreamFetch). */
  fetch: UpstreamFetch;
  /** Deadlines of every request to it (default `DEFAULT_TIMEOUTS`). */
  timeouts?: UpstreamTimeouts;
}

/** What a probe learned about the upstream representation. */
export interface UpstreamInfo {
  size: number;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Whether `Content-Range` (and so exact range validation) is readable through CORS. */
  contentRangeVisible: boolean;
  validation: Validation;
}
