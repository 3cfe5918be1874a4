/**
 * Where the token buckets live: one per response (`responseRate`), one per TCP connection
 * (`rate`) and one shared by all connections of the origin (`linkRate`), and how big the write
 * pieces are.
 */
import type { Socket } from 'node:net';
import type { Knobs } from './knobs.ts';
import { TokenBucket } from './token-bucket.ts';

export interface Throttle {
  /** This response's own bucket (`responseRate`), new for every response. */
  response: TokenBucket | null;
  conn: TokenBucket | null;
  link: TokenBucket | null;
  /** Largest single socket write; each piece waits for tokens separately. */
  pieceSize: number;
}

const MAX_PIECE = 16 * 1024;
const MIN_PIECE = 512;
const UNTHROTTLED_PIECE = 64 * 1024;
const MAX_SMALL_BURST = 64 * 1024;

/** ~20 pieces per second, so slow rates still look smooth rather than bursty. */
export function pieceSizeFor(rate: number): number {
  return Math.max(MIN_PIECE, Math.min(MAX_PIECE, Math.floor(rate / 20)));
}

/**
 * Small burst (at most 64 KiB or rate/10) so measured throughput is the configured rate, but
 * never below one piece, nor below 4 ms worth of bytes: timers fire with ~1 ms granularity,
 * and at high rates a smaller bucket would overflow between wake-ups and lose throughput.
 */
export function burstFor(rate: number): number {
  return Math.max(pieceSizeFor(rate), Math.min(rate / 10, MAX_SMALL_BURST), rate * 0.004);
}

export class RateLimits {
  #link: TokenBucket | null = null;
  readonly #perConnection = new WeakMap<Socket, TokenBucket>();

  throttleFor(socket: Socket | null, knobs: Knobs): Throttle {
    const { rate, linkRate, responseRate } = knobs;
    // Strict pacing: the bucket holds one piece, so by time t after the response began at most
    // one piece more than responseRate * t has left.
    const response =
      responseRate === undefined ? null : new TokenBucket(responseRate, pieceSizeFor(responseRate));
    let conn: TokenBucket | null = null;
    if (rate !== undefined && socket) {
      conn = this.#perConnection.get(socket) ?? null;
      if (conn) conn.configure(rate, burstFor(rate));
      else {
        conn = new TokenBucket(rate, burstFor(rate));
        this.#perConnection.set(socket, conn);
      }
    }
    let link: TokenBucket | null = null;
    if (linkRate !== undefined) {
      // One bucket for the whole origin; the latest linkRate setting wins.
      if (this.#link) this.#link.configure(linkRate, burstFor(linkRate));
      else this.#link = new TokenBucket(linkRate, burstFor(linkRate));
      link = this.#link;
    }
    const rates = [rate, linkRate, responseRate].filter((r): r is number => r !== undefined);
    const pieceSize = rates.length > 0 ? pieceSizeFor(Math.min(...rates)) : UNTHROTTLED_PIECE;
    return { response, conn, link, pieceSize };
  }
}
