import type { LogEntry } from '../tools/origin/index.ts';

/**
 * How busy the upstream's connections were: the sum of every response's duration (arrival to
 * last byte) over the span from the first arrival to the last end. At concurrency N with no
 * idle gap between a slot's responses, this approaches N.
 */
export function busyOverSpan(entries: readonly LogEntry[]): number {
  const done = entries.filter((e) => e.end !== null);
  if (done.length === 0) return 0;
  const first = Math.min(...done.map((e) => e.arrived));
  const last = Math.max(...done.map((e) => e.end as number));
  const busy = done.reduce((sum, e) => sum + ((e.end as number) - e.arrived), 0);
  return last > first ? busy / (last - first) : 0;
}

/**
 * Idle time between responses on the proxy's download slots: each request after the first
 * `slots` arrived some time after a running response ended (the one whose slot it took: the
 * earliest end not yet followed). Returns one gap (ms) per such request.
 */
export function slotGaps(entries: readonly LogEntry[], slots: number): number[] {
  const sorted = [...entries].sort((a, b) => a.arrived - b.arrived);
  const freed: number[] = [];
  const gaps: number[] = [];
  for (const [i, e] of sorted.entries()) {
    if (i >= slots) {
      // The slot this request took: the earliest end before its arrival not yet reused.
      const ends = sorted
        .slice(0, i)
        .map((x) => x.end)
        .filter((end): end is number => end !== null && end <= e.arrived && !freed.includes(end))
        .sort((a, b) => a - b);
      const slotEnd = ends[0];
      if (slotEnd !== undefined) {
        freed.push(slotEnd);
        gaps.push(e.arrived - slotEnd);
      }
    }
  }
  return gaps;
}
