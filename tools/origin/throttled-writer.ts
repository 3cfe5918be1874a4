/**
 * Writes a response body in small pieces, each one waiting for tokens from the connection and
 * link buckets, respecting socket backpressure, and stopping at once when the client is gone.
 * This is where the `responseRate`, `rate`, `linkRate` and `resetAfter` knobs take effect.
 */
import type { ServerResponse } from 'node:http';
import { sleep, waitForDrain } from './abortable-wait.ts';
import type { Throttle } from './rate-limits.ts';

export interface WriteOptions {
  throttle: Throttle;
  /** Destroy the socket after this many body bytes (only if less than the body length). */
  resetAfter?: number;
  /** Wait at this many body bytes (only if less than the body length) for `hold`. */
  holdAfter?: number;
  /** The wait of `holdAfter`: resolves false when the client left. */
  hold?: (signal: AbortSignal) => Promise<boolean>;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
  /** Called after each write with the number of body bytes handed to the socket. */
  onBytes(count: number): void;
}

export type WriteOutcome = 'complete' | 'aborted' | 'reset';

/** Resolve once `piece` (and the headers, if not yet sent) reached the kernel. */
function writeFlushed(res: ServerResponse, piece: Uint8Array, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    res.write(piece, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

async function waitForTokens(throttle: Throttle, bytes: number, signal: AbortSignal) {
  // Connection first, then link: the link bucket is shared, so reserving from it only when the
  // piece is otherwise ready keeps its FIFO order meaningful across connections.
  if (throttle.response && !(await sleep(throttle.response.reserve(bytes), signal))) return false;
  if (throttle.conn && !(await sleep(throttle.conn.reserve(bytes), signal))) return false;
  if (throttle.link && !(await sleep(throttle.link.reserve(bytes), signal))) return false;
  return true;
}

/**
 * Send `body` through `res` (headers already set with writeHead) and end the response.
 * Leaving the loop early returns the iterator, which closes the file / stops generating.
 */
export async function writeThrottled(
  res: ServerResponse,
  body: AsyncIterable<Uint8Array>,
  options: WriteOptions,
): Promise<WriteOutcome> {
  const { throttle, resetAfter, signal } = options;
  let sent = 0;
  if (resetAfter === 0) {
    // Headers only, then the reset.
    await writeFlushed(res, new Uint8Array(0), signal);
    res.socket?.destroy();
    return 'reset';
  }
  let held = false;
  const holdHere = async () => {
    held = true;
    await writeFlushed(res, new Uint8Array(0), signal); // headers (and bytes so far) out first
    return options.hold ? options.hold(signal) : true;
  };
  if (options.holdAfter === 0 && !(await holdHere())) return 'aborted';
  for await (const chunk of body) {
    for (let offset = 0; offset < chunk.length; offset += throttle.pieceSize) {
      if (signal.aborted) return 'aborted';
      let piece = chunk.subarray(offset, offset + throttle.pieceSize);
      const holdAt = options.holdAfter;
      if (!held && holdAt !== undefined && sent < holdAt && sent + piece.length > holdAt) {
        // Send exactly the bytes before the hold point, then wait there.
        const before = piece.subarray(0, holdAt - sent);
        if (!(await waitForTokens(throttle, before.length, signal))) return 'aborted';
        await writeFlushed(res, before, signal);
        sent += before.length;
        options.onBytes(before.length);
        if (!(await holdHere())) return 'aborted';
        piece = piece.subarray(before.length);
      }
      const cut = resetAfter !== undefined && sent + piece.length >= resetAfter;
      if (cut) piece = piece.subarray(0, resetAfter - sent);
      if (!(await waitForTokens(throttle, piece.length, signal))) return 'aborted';
      if (cut) {
        // Let the bytes reach the client before the reset, so it sees exactly resetAfter bytes.
        await writeFlushed(res, piece, signal);
        options.onBytes(piece.length);
        res.socket?.destroy();
        return 'reset';
      }
      const ok = res.write(piece);
      sent += piece.length;
      options.onBytes(piece.length);
      if (!ok && !(await waitForDrain(res, signal))) return 'aborted';
    }
  }
  if (signal.aborted) return 'aborted';
  res.end();
  return 'complete';
}
