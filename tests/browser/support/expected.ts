import { createHash } from 'node:crypto';
import type { LogEntry } from '../../../tools/origin/index.ts';
import { syntheticBytes } from '../../../tools/origin/index.ts';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of synthetic bytes `[start, end]` (inclusive). */
export function syntheticDigest(seed: number, start: number, end: number): string {
  return sha256(syntheticBytes(seed, start, end + 1));
}

/** A deterministic PRNG (mulberry32), so random ranges are reproducible from their seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Chunk GETs in the origin log for `path` (excluding the one-byte probe). */
export function chunkRequests(log: LogEntry[], path: string): LogEntry[] {
  return log.filter((e) => e.path === path && e.method === 'GET' && e.range !== 'bytes=0-0');
}

/** The most requests of `entries` that were in progress at the same moment. */
export function maxOverlap(entries: LogEntry[]): number {
  const events: [number, number][] = [];
  for (const e of entries) {
    events.push([e.start, 1]);
    events.push([e.end ?? Number.POSITIVE_INFINITY, -1]);
  }
  // Ends sort before starts at the same instant: back-to-back requests do not overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of events) {
    now += d;
    max = Math.max(max, now);
  }
  return max;
}

/** Parse `bytes=a-b` as logged by the origin. */
export function loggedRange(entry: LogEntry): { start: number; end: number } {
  const m = /^bytes=(\d+)-(\d+)$/.exec(entry.range ?? '');
  if (!m) throw new Error(`not a closed range: ${entry.range}`);
  return { start: Number(m[1]), end: Number(m[2]) };
}
