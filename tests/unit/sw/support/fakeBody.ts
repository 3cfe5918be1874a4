import type { Fault } from './planFakeAnswer.ts';

/** How a fake body reports to, and hears from, the request it belongs to. */
export interface BodyWire {
  /** Resolves when the request's signal aborts. */
  readonly aborted: Promise<void>;
  /** What an abort errors the body with (the signal's reason). */
  reason(): unknown;
  /** Takes what an abort does to this body. */
  onAbort(abortBody: () => void): void;
  /** The body reached its scripted stall. */
  stalled(): void;
  /** `bytes` body bytes have been handed to the reader so far. */
  sent(bytes: number): void;
  finish(how: 'complete' | 'cancelled' | 'aborted' | 'errored'): void;
  /** Whether the request has ended already. */
  ended(): boolean;
}

const NEVER = new Promise<never>(() => undefined);

/**
 * The body of a fake upstream response: `bytes`, handed over at most `pieceBytes` at a time,
 * stalling, breaking or ending early where `fault` says; errored with the abort reason when the
 * request aborts, as a browser's fetch body is.
 */
export function fakeBody(
  bytes: Uint8Array,
  fault: Pick<Fault, 'stallAfter' | 'errorAfter' | 'endAfter'>,
  pieceBytes: number,
  wire: BodyWire,
): ReadableStream<Uint8Array> {
  const stop = Math.min(bytes.length, fault.endAfter ?? bytes.length);
  const errorAt = fault.errorAfter ?? null;
  const stall = fault.stallAfter ?? null;
  let stallAhead = stall !== null;
  let pos = 0;
  let cancelled!: () => void;
  const cancelledOnce = new Promise<void>((resolve) => {
    cancelled = resolve;
  });
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        wire.onAbort(() => {
          controller.error(wire.reason());
          wire.finish('aborted');
        });
      },
      async pull(controller) {
        if (stall !== null && stallAhead && pos >= stall.bytes) {
          stallAhead = false;
          wire.stalled();
          const until = stall.until === 'never' ? NEVER : stall.until;
          await Promise.race([until, wire.aborted, cancelledOnce]);
          if (wire.ended()) return;
        }
        if (errorAt !== null && pos >= errorAt) {
          controller.error(new TypeError('network error'));
          wire.finish('errored');
          return;
        }
        if (pos >= stop) {
          controller.close();
          wire.finish('complete');
          return;
        }
        let next = Math.min(stop, pos + pieceBytes);
        if (stall !== null && stallAhead) next = Math.min(next, stall.bytes);
        if (errorAt !== null) next = Math.min(next, errorAt);
        controller.enqueue(bytes.slice(pos, next));
        pos = next;
        wire.sent(pos);
      },
      cancel() {
        cancelled();
        wire.finish('cancelled');
      },
    },
    // Pull only when the reader asks, so `sent` is what was read and a stall is exact.
    { highWaterMark: 0 },
  );
}
