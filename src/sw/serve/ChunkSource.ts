import type { ReaderCursor } from '../media/MediaDownloads.ts';

/**
 * The one narrow port a streamed response reads a parallel media through: chunks (stored or
 * downloading), bytes of chunks still arriving, and direct upstream reads for a span. It keeps
 * its own counters and handles content changes itself; the serving code only reads.
 */
export interface ChunkSource {
  readonly size: number;
  readonly chunkSize: number;
  /** The content changed: the request should be retried on a fresh media. */
  readonly stale: boolean;
  /** Every session of the media closed: readers end. */
  readonly closed: boolean;
  /** Served from storage because the upstream refused the probe: a hole is `offline-missing`. */
  readonly servingStored: boolean;
  openReader(index: number): ReaderCursor;
  /** Chunk `index`, whole: from storage, or from its download (started or joined). */
  readChunk(index: number, signal: AbortSignal): Promise<Uint8Array | Blob>;
  isStored(index: number): boolean;
  isDownloading(index: number): boolean;
  /** Bytes of chunk `index` from `offset` already downloaded and validated, or null. */
  partialBytes(index: number, offset: number): Uint8Array | null;
  /** Resolves at the next progress or end of chunk `index`'s download. */
  partialChanged(index: number): Promise<void>;
  /** Whether a reader at byte `from` of chunk `index` should read the rest of it directly. */
  worthCatchingUp(index: number, from: number): boolean;
  /** Bytes `[start, end]` straight from the upstream, validated against the probe. */
  readUpstream(
    start: number,
    end: number,
    signal: AbortSignal,
    purpose: 'catch-up' | 'fallback',
  ): Promise<ReadableStream<Uint8Array>>;
  /** `bytes` were sent to a reader from storage or a download. */
  served(bytes: number): void;
  /** A request fell back to reading the upstream directly at `position`. */
  fellBack(position: number, cause: unknown): void;
}
