import { ProxyError } from '../errors/ProxyError.ts';
import type { ChunkSource } from '../serve/ChunkSource.ts';
import { worthCatchingUp } from '../serve/worthCatchingUp.ts';
import { openUpstreamBody } from '../upstream/openUpstreamBody.ts';
import type { ReaderCursor } from './MediaDownloads.ts';
import type { ParallelMedia } from './ParallelMedia.ts';

/**
 * A parallel media as the serving code sees it (`ChunkSource`): chunks, bytes still arriving,
 * and direct upstream reads, with the media's counters kept here so a response never touches
 * them, and a content change found by a direct read handed to the media's one place for it.
 */
export class ParallelMediaReads implements ChunkSource {
  constructor(private readonly media: ParallelMedia) {}

  get size(): number {
    return this.media.size;
  }

  get chunkSize(): number {
    return this.media.chunkSize;
  }

  get stale(): boolean {
    return this.media.stale;
  }

  get closed(): boolean {
    return this.media.closed;
  }

  get servingStored(): boolean {
    return this.media.servingStored;
  }

  openReader(index: number): ReaderCursor {
    return this.media.openReader(index);
  }

  readChunk(index: number, signal: AbortSignal): Promise<Uint8Array | Blob> {
    return this.media.readChunk(index, signal);
  }

  isStored(index: number): boolean {
    return this.media.isStored(index);
  }

  isDownloading(index: number): boolean {
    return this.media.isDownloading(index);
  }

  /** Whether a reader at `from` in chunk `index` should read the rest of it directly. */
  worthCatchingUp(index: number, from: number): boolean {
    if (this.media.validation !== 'strong' || this.media.isStored(index)) return false;
    const running = Math.max(1, this.media.chunkStates().inFlight);
    return worthCatchingUp(
      from - this.media.partials.received(index),
      this.media.counters.rate.rate() / running,
    );
  }

  /**
   * Bytes `[start, end]` straight from the upstream, validated against what was probed: catch-up
   * reads and the fallback of a request whose chunk could not be had. Counted as upstream bytes.
   */
  async readUpstream(
    start: number,
    end: number,
    signal: AbortSignal,
    purpose: 'catch-up' | 'fallback',
  ): Promise<ReadableStream<Uint8Array>> {
    // Counted when asked, refused or not: the count matches the upstream's log of them.
    if (purpose === 'catch-up') this.media.counters.catchUps++;
    try {
      const count = (n: number) => {
        this.media.counters.upstreamBytes += n;
      };
      return (
        await openUpstreamBody(this.media.upstream, { start, end }, signal, count, this.media.info)
      ).body;
    } catch (error) {
      if (error instanceof ProxyError && error.code === 'content-changed')
        this.media.contentChanged();
      throw error;
    }
  }

  partialBytes(index: number, offset: number): Uint8Array | null {
    return this.media.partials.bytesFrom(index, offset);
  }

  partialChanged(index: number): Promise<void> {
    return this.media.partials.changed(index);
  }

  served(bytes: number): void {
    this.media.counters.cacheHitBytes += bytes;
  }

  fellBack(position: number, cause: unknown): void {
    this.media.counters.fallbacks++;
    this.media.counters.lastError = `fell back to single mode at byte ${position}: ${(cause as Error).message}`;
    this.media.counters.changed();
  }
}
