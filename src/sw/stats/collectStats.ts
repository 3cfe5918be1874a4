import type { SessionInfo, SessionStats } from '../../shared/types.ts';
import type { Media } from '../media/Media.ts';
import type { StoreKind } from '../store/ChunkStore.ts';

const NO_CHUNKS = { stored: 0, inFlight: 0, peakInFlight: 0, queued: 0, failed: [] as number[] };

/** A session's stats, read off its media (or an idle placeholder before first use). */
export function collectStats(
  session: SessionInfo,
  media: Media | null,
  store: StoreKind,
): SessionStats {
  const c = media?.counters;
  const states = media?.mode === 'parallel' ? media.chunkStates() : NO_CHUNKS;
  const reason =
    media?.mode === 'single'
      ? media.reason
      : c && (c.fallbacks > 0 || states.failed.length > 0)
        ? c.lastError
        : null;
  return {
    id: session.id,
    cacheKey: session.cacheKey,
    mode: media?.mode ?? 'unknown',
    reason,
    validation: media?.mode === 'parallel' ? media.validation : 'none',
    size: media?.size ?? null,
    contentType: media?.contentType ?? null,
    chunkSize: media?.mode === 'parallel' ? media.chunkSize : session.chunkSize,
    store,
    chunks: {
      total: media?.mode === 'parallel' ? media.chunkTotal : 0,
      stored: states.stored,
      inFlight: states.inFlight,
      peakInFlight: states.peakInFlight,
      queued: states.queued,
      failed: states.failed.length,
    },
    failedChunks: states.failed,
    droppedChunks: c ? [...c.dropped] : [],
    activity: media?.mode === 'parallel' ? media.chunkActivity() : null,
    uncachedChunks: c?.uncached ?? 0,
    catchUpReads: c?.catchUps ?? 0,
    nativeChunks: c?.nativeChunks ?? 0,
    bytesDownloaded: c?.bytesDownloaded ?? 0,
    downloadRate: c ? Math.round(c.rate.rate()) : 0,
    cacheHitBytes: c?.cacheHitBytes ?? 0,
    upstreamBytes: c?.upstreamBytes ?? 0,
    retries: c?.retries ?? 0,
    redirects: c?.redirects ?? 0,
    fallbacks: c?.fallbacks ?? 0,
    storageFailures: c?.storageFailures ?? 0,
    readers: media?.mode === 'parallel' ? media.readerCount : 0,
    updatedAt: Date.now(),
  };
}
