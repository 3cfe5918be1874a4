import type { ChunkSource } from './ChunkSource.ts';

/**
 * The next bytes of the catch-up read of chunk `index` (see worthCatchingUp), or null once it lost
 * the race with the chunk's download: the chunk is in, or its bytes in progress passed the reader
 * (at `from`), while the catch-up read waited — it is then cancelled: a stalled catch-up read
 * must not hold a reader whose bytes are already here. A catch-up read that ends or breaks (a
 * stall timeout) is null too: the chunk, which has retries and a fallback of its own, serves.
 */
export async function raceCatchUp(
  media: Pick<ChunkSource, 'partialBytes' | 'partialChanged'>,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  index: number,
  from: number,
  whole: Promise<Uint8Array | Blob>,
): Promise<Uint8Array | null> {
  const overtaken = () => (media.partialBytes(index, from)?.byteLength ?? 0) > 0;
  if (!overtaken()) {
    const read = reader.read().then(
      (r) => (r.done ? null : r.value),
      () => null,
    );
    // Only a chunk that is in wins: a failed download leaves the reader to the catch-up read.
    const chunkIn = whole.then(
      () => 'chunk' as const,
      () => new Promise<never>(() => undefined),
    );
    for (;;) {
      const winner = await Promise.race([
        read.then((value) => ({ value })),
        chunkIn,
        media.partialChanged(index).then(() => 'progress' as const),
      ]);
      if (typeof winner === 'object') return winner.value;
      if (winner === 'chunk' || overtaken()) break;
    }
  }
  reader.cancel().catch(() => undefined);
  return null;
}
