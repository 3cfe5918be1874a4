import { ProxyError } from '../errors/ProxyError.ts';
import type { MediaMeta } from '../store/ChunkStore.ts';
import type { ProbeResult } from '../upstream/probeUpstream.ts';

/** What a probe of a media found: an answer, or the error it failed with. */
export type ProbeOutcome = { ok: true; result: ProbeResult } | { ok: false; error: unknown };

/** How a cache treats an upstream that refuses a media it holds. */
export interface OfflinePolicy {
  /**
   * 401/403 on the probe of a stored media are final (the app must honour revoked access): the
   * request fails instead of being served from the stored chunks. Default false.
   */
  authFailuresFinal: boolean;
}

/**
 * What to do after probing media `known` (undefined when nothing is stored): `probe` — use what
 * the probe found (the cache then keeps or drops the stored chunks, `sameContent`); `stored` —
 * serve the stored chunks and answer holes with 504 `offline-missing`; `fail` — the request fails
 * with the probe's error.
 *
 * Stored bytes are only given up for a *proven* content change: a probe that failed for any
 * reason (unreachable, a timeout, 401/403 from an expired token, 5xx, a captive portal's HTML),
 * an answer that cannot be chunked, or a size change with no validator on either side to tell
 * a new content from a wrong answer, all keep serving what is stored. Pure.
 */
export function probeVerdict(
  known: MediaMeta | undefined,
  outcome: ProbeOutcome,
  policy: OfflinePolicy,
): 'probe' | 'stored' | 'fail' {
  if (known === undefined) return outcome.ok ? 'probe' : 'fail';
  if (!outcome.ok) {
    const status = outcome.error instanceof ProxyError ? outcome.error.details.status : undefined;
    if (policy.authFailuresFinal && (status === 401 || status === 403)) return 'fail';
    return 'stored';
  }
  const { result } = outcome;
  if (result.mode === 'single') return 'stored';
  const unproven =
    result.info.size !== known.size && !hasValidator(known) && !hasValidator(result.info);
  return unproven ? 'stored' : 'probe';
}

function hasValidator(m: { etag: string | null; lastModified: string | null }): boolean {
  return m.etag !== null || m.lastModified !== null;
}
