import { chunkBounds, chunkIndexOf } from '../cache/chunkMath.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import type { ChunkSource } from './ChunkSource.ts';
import { cancelInOwnTask } from './cancelInOwnTask.ts';
import { raceCatchUp } from './raceCatchUp.ts';

/**
 * The body of a parallel-mode response: bytes `[start, end]` pulled chunk by chunk. Each pull
 * waits for the one chunk it needs (the required chunk, first in the scheduler's line) and moves
 * the reader's cursor, which keeps the prefetch window running ahead; back-pressure is the
 * stream's own (one chunk queued at most), so memory stays bounded whatever the range. When a
 * chunk cannot be had after its retries, the rest of this request falls back to single mode (a
 * ranged request straight to the upstream) and playback goes on. Cancelling the body (the media
 * element seeking away) closes the cursor and withdraws its wait; the download itself goes on
 * as a prefetch for others, or is dropped by the next seek.
 *
 * Resolves once the first chunk is in hand, so a request that cannot start (offline and not
 * stored, upstream gone) is answered with an error status rather than a broken 206. `onEnd` is
 * called when the body ends, errors or is cancelled (possibly more than once).
 */
export async function createChunkedBody(
  media: ChunkSource,
  start: number,
  end: number,
  onEnd: () => void = () => undefined,
): Promise<ReadableStream<Uint8Array>> {
  const chunkSize = media.chunkSize;
  const size = media.size;
  const cursor = media.openReader(chunkIndexOf(start, chunkSize));
  const abort = new AbortController();
  let position = start;
  let fallback: ReadableStreamDefaultReader<Uint8Array> | null = null;

  /** The chunk being read: its whole bytes once stored or downloaded (one wait per chunk). */
  let current: { index: number; whole: Promise<Uint8Array | Blob> } | null = null;
  /** A catch-up read serving the rest of chunk `index` (see worthCatchingUp). */
  let catchUp: { index: number; reader: ReadableStreamDefaultReader<Uint8Array> } | null = null;

  /**
   * Start a catch-up read for the rest of chunk `index` from `position` when its download is
   * far behind the reader. The chunk's download goes on (it is still wanted in the cache); a
   * catch-up read that cannot start just means waiting for the download as usual.
   */
  const maybeCatchUp = async (index: number, from: number, last: number): Promise<void> => {
    if (!media.worthCatchingUp(index, from)) return;
    try {
      const body = await media.readUpstream(position, last, abort.signal, 'catch-up');
      catchUp = { index, reader: body.getReader() };
    } catch {
      // The download will get there (a content change was handled by the media).
    }
  };

  /**
   * The next bytes from `position`, clipped to the range and to the chunk holding it: as soon as
   * any arrive (the chunk still downloading, see PartialChunks), else the rest of the chunk.
   */
  const nextPiece = async (): Promise<Uint8Array> => {
    const index = chunkIndexOf(position, chunkSize);
    const bounds = chunkBounds(index, size, chunkSize);
    const from = position - bounds.start;
    const to = Math.min(end, bounds.end) - bounds.start + 1;
    if (current?.index !== index) {
      // Ask for the chunk first (the required one is first in line), then open the window.
      const whole = media.readChunk(index, abort.signal);
      whole.catch(() => undefined); // observed below; a reader cancelled meanwhile never looks
      current = { index, whole };
      cursor.moveTo(index);
      catchUp?.reader.cancel().catch(() => undefined);
      catchUp = null;
      await maybeCatchUp(index, from, bounds.start + to - 1);
    }
    const { whole } = current;
    if (catchUp?.index === index) {
      const piece = await raceCatchUp(media, catchUp.reader, index, from, whole);
      if (piece) return piece;
      catchUp = null; // lost the race, ended or broke: the chunk serves the reader
    }
    for (;;) {
      // The last byte this range needs from the chunk is held back until the whole chunk is in
      // (length validated, stored): a response never ends before every chunk it read is final.
      const early = media.partialBytes(index, from);
      if (early && early.byteLength > 0 && from + 1 < to) {
        const piece = early.subarray(0, Math.min(early.byteLength, to - from - 1));
        media.served(piece.byteLength);
        return piece;
      }
      const settled = whole.then(
        () => true,
        () => true,
      );
      // Only a pending download makes progress (and its end wakes every waiter it has); a
      // stored chunk is read from the store.
      if (!media.isDownloading(index)) break;
      if (await Promise.race([settled, media.partialChanged(index).then(() => false)])) break;
    }
    const piece = await bytesOf(await whole, from, to).catch(async () => {
      // A stored OPFS chunk read as a File stops being readable once evicted or rewritten
      // (NotFoundError / NotReadableError): read the chunk again, from storage or a download.
      return bytesOf(await media.readChunk(index, abort.signal), from, to);
    });
    media.served(piece.byteLength);
    return piece;
  };

  /** Switch the rest of this request to a direct upstream range. */
  const fallBack = async (cause: unknown): Promise<void> => {
    media.fellBack(position, cause);
    const body = await media
      .readUpstream(position, end, abort.signal, 'fallback')
      .catch((error) => {
        // Nothing to fall back on: say which bytes are missing (offline, upstream gone).
        const unreachable = error instanceof ProxyError && error.code === 'upstream-unreachable';
        if (unreachable || media.servingStored) {
          throw new ProxyError(
            'offline-missing',
            { missing: { start: position, end } },
            `Missing bytes ${position}-${end}: not stored, and the upstream cannot give them (${(error as Error).message}).`,
          );
        }
        throw error;
      });
    fallback = body.getReader();
  };

  let first: Uint8Array | null;
  try {
    first = await nextPiece();
  } catch (error) {
    if (media.stale || media.closed) {
      cursor.close();
      throw media.stale
        ? new ProxyError('content-changed', {}, 'Retry the request.')
        : new ProxyError('session-not-found', {}, 'The session was closed.');
    }
    try {
      await fallBack(error);
    } catch (fallbackError) {
      cursor.close();
      throw fallbackError;
    }
    first = null;
  }

  const finish = () => {
    cursor.close();
    abort.abort(new DOMException('reader finished', 'AbortError'));
    onEnd();
  };
  if (first) position += first.byteLength;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (first) controller.enqueue(first);
      if (position > end) {
        finish();
        controller.close();
      }
    },
    async pull(controller) {
      try {
        if (fallback === null) {
          let piece: Uint8Array | null = null;
          try {
            piece = await nextPiece();
          } catch (error) {
            if (abort.signal.aborted || media.stale || media.closed) throw error;
            await fallBack(error);
          }
          // Outside the try: a piece that cannot be enqueued (the reader cancelled while it was
          // on its way; cancel() does its work a task later) ends the body below, it is not a
          // failed chunk to fall back from.
          if (piece) {
            position += piece.byteLength;
            controller.enqueue(piece);
          }
        }
        if (fallback !== null) {
          const { done, value } = await fallback.read();
          if (done) throw new ProxyError('upstream-invalid', {}, 'Upstream ended early.');
          position += value.byteLength;
          controller.enqueue(value);
        }
        if (position > end) {
          finish();
          controller.close();
        }
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    // `finish()` fires `abort` listeners: not from here directly (see cancelInOwnTask).
    cancel(reason) {
      return cancelInOwnTask(() => {
        finish();
        catchUp?.reader.cancel(reason).catch(() => undefined);
        return fallback?.cancel(reason);
      });
    },
  });
}

/** Bytes `[from, to)` of a chunk held in memory or stored as a Blob. */
async function bytesOf(data: Uint8Array | Blob, from: number, to: number): Promise<Uint8Array> {
  return data instanceof Blob
    ? new Uint8Array(await data.slice(from, to).arrayBuffer())
    : data.subarray(from, to);
}
