import type { SessionInfo, SessionStats } from '../../shared/protocol.ts';
import type { MediaRuntime } from '../media/MediaRuntime.ts';

/** A session's stats, read off its media's runtime (or an idle placeholder before first use). */
export function collectStats(session: SessionInfo, runtime: MediaRuntime | null): SessionStats {
  if (runtime === null) {
    return {
      id: session.id,
      cacheKey: session.cacheKey,
      mode: 'unknown',
      reason: null,
      validation: 'none',
      size: null,
      contentType: null,
      chunkSize: session.chunkSize,
      chunks: { total: 0, stored: 0, inFlight: 0, peakInFlight: 0, queued: 0, failed: 0 },
      failedChunks: [],
      droppedChunks: [],
      uncachedChunks: 0,
      catchUpReads: 0,
      bytesDownloaded: 0,
      downloadRate: 0,
      cacheHitBytes: 0,
      upstreamBytes: 0,
      retries: 0,
      fallbacks: 0,
      storageFailures: 0,
      readers: 0,
      updatedAt: Date.now(),
    };
  }
  const c = runtime.counters;
  const states = runtime.chunkStates();
  const reason =
    runtime.mode === 'single'
      ? runtime.reason
      : c.fallbacks > 0 || states.failed.length > 0
        ? c.lastError
        : null;
  return {
    id: session.id,
    cacheKey: session.cacheKey,
    mode: runtime.mode,
    reason,
    validation: runtime.validation,
    size: runtime.size,
    contentType: runtime.contentType,
    chunkSize: runtime.chunkSize,
    chunks: {
      total: runtime.chunkTotal,
      stored: states.stored,
      inFlight: states.inFlight,
      peakInFlight: states.peakInFlight,
      queued: states.queued,
      failed: states.failed.length,
    },
    failedChunks: states.failed,
    droppedChunks: [...c.dropped],
    uncachedChunks: c.uncached,
    catchUpReads: c.catchUps,

    bytesDownloaded: c.bytesDownloaded,
    downloadRate: Math.round(c.rate.rate()),
    cacheHitBytes: c.cacheHitBytes,
    upstreamBytes: c.upstreamBytes,
    retries: c.retries,
    fallbacks: c.fallbacks,
    storageFailures: c.storageFailures,
    readers: runtime.readerCount,
    updatedAt: Date.now(),
  };
}
