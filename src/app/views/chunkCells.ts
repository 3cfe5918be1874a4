import type { SessionStats } from 'chunkwise/client';

/** What one cell of the chunk map shows. */
export type CellState = 'missing' | 'stored' | 'downloading' | 'queued' | 'failed' | 'evicted';

export interface ChunkCells {
  states: CellState[];
  /** Bytes received of each downloading chunk, as a fraction of the chunk (0 when unknown). */
  progress: Map<number, number>;
  /** Reader positions and their windows (inclusive chunk indexes). */
  readers: { position: number; windowEnd: number }[];
}

/**
 * The cells of a media's chunk map from its stats. A chunk that was stored on an earlier draw
 * (`before`) and no longer is, and is not being fetched again, was evicted.
 */
export function chunkCells(stats: SessionStats, before: CellState[] = []): ChunkCells {
  const total = stats.chunks.total;
  const states: CellState[] = Array.from({ length: total }, () => 'missing');
  const a = stats.activity;
  const progress = new Map<number, number>();
  if (!a) return { states, progress, readers: [] };
  for (const [first, last] of a.stored)
    for (let i = first; i <= last && i < total; i++) states[i] = 'stored';
  for (const i of stats.failedChunks) if (i < total) states[i] = 'failed';
  for (const i of a.queued) if (i < total) states[i] = 'queued';
  for (const { index, received } of a.downloading) {
    if (index >= total) continue;
    states[index] = 'downloading';
    progress.set(index, received === null ? 0 : Math.min(1, received / stats.chunkSize));
  }
  for (let i = 0; i < total; i++) {
    if (states[i] === 'missing' && (before[i] === 'stored' || before[i] === 'evicted'))
      states[i] = 'evicted';
  }
  return { states, progress, readers: a.readers };
}

/** The indexes in `states` that are `state`. */
export function indexesOf(states: CellState[], state: CellState): number[] {
  const out: number[] = [];
  states.forEach((s, i) => {
    if (s === state) out.push(i);
  });
  return out;
}
