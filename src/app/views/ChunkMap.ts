import type { SessionStats } from 'chunkwise/client';
import { runsText, toRuns } from '../format.ts';
import { type CellState, type ChunkCells, chunkCells, indexesOf } from './chunkCells.ts';

const COLORS: Record<CellState, string> = {
  missing: '#e4e4e7',
  stored: '#16a34a',
  downloading: '#93c5fd',
  queued: '#fde68a',
  failed: '#dc2626',
  evicted: '#a1a1aa',
};
const CELL = 12;
const GAP = 2;

/**
 * A media's chunks as a canvas, one cell per chunk: stored, downloading (filled as bytes
 * arrive), queued, failed, evicted; each reader's window underlined and the player's position
 * marked. Redrawn in the next animation frame after each stats push, into the same canvas (no
 * flicker). What it drew is also in data attributes (`data-stored="0-3,7"`…) and its label, for
 * tests and screen readers.
 */
export class ChunkMap {
  private cells: ChunkCells | null = null;
  private frame = 0;
  private playerChunk: number | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly summary: HTMLElement,
  ) {
    // Redrawn at the canvas's new size (a resize, a zoom), never stretched.
    new ResizeObserver(() => this.schedule()).observe(canvas);
    this.schedule();
  }

  /** Draw `stats` (of the media now shown); `null` clears the map. */
  show(stats: SessionStats | null): void {
    const before = this.cells?.states ?? [];
    this.cells = stats
      ? chunkCells(stats, stats.chunks.total === before.length ? before : [])
      : null;
    this.canvas.dataset.session = stats?.id ?? '';
    this.schedule();
  }

  /** Mark the chunk the player is at (estimated from its time), or nothing. */
  markPlayer(chunk: number | null): void {
    if (chunk === this.playerChunk) return;
    this.playerChunk = chunk;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const states = this.cells?.states ?? [];
    const width = this.canvas.clientWidth || 640;
    const columns = Math.max(1, Math.floor((width + GAP) / (CELL + GAP)));
    const rows = Math.max(1, Math.ceil(states.length / columns));
    const height = rows * (CELL + GAP) + 4;
    const ratio = window.devicePixelRatio || 1;
    if (
      this.canvas.width !== Math.round(width * ratio) ||
      this.canvas.height !== Math.round(height * ratio)
    ) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.height = `${height}px`;
    }
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const at = (i: number) => ({
      x: (i % columns) * (CELL + GAP),
      y: Math.floor(i / columns) * (CELL + GAP),
    });
    states.forEach((state, i) => {
      const { x, y } = at(i);
      g.fillStyle = COLORS[state === 'downloading' ? 'missing' : state];
      g.fillRect(x, y, CELL, CELL);
      if (state === 'downloading') {
        const done = this.cells?.progress.get(i) ?? 0;
        g.fillStyle = COLORS.downloading;
        g.fillRect(x, y + CELL * (1 - done), CELL, CELL * done);
        g.strokeStyle = '#1d4ed8';
        g.strokeRect(x + 0.5, y + 0.5, CELL - 1, CELL - 1);
      }
    });
    for (const reader of this.cells?.readers ?? []) {
      g.fillStyle = '#1d4ed8';
      for (let i = reader.position; i <= reader.windowEnd && i < states.length; i++) {
        const { x, y } = at(i);
        g.fillRect(x, y + CELL, CELL, 2);
      }
    }
    if (this.playerChunk !== null && this.playerChunk < states.length) {
      const { x, y } = at(this.playerChunk);
      g.strokeStyle = '#111';
      g.lineWidth = 2;
      g.strokeRect(x - 1, y - 1, CELL + 2, CELL + 2);
      g.lineWidth = 1;
    }
    this.describe(states);
  }

  private describe(states: CellState[]): void {
    const d = this.canvas.dataset;
    d.total = String(states.length);
    const counts = new Map<CellState, number>();
    for (const state of ['stored', 'downloading', 'queued', 'failed', 'evicted'] as const) {
      const indexes = indexesOf(states, state);
      d[state] = runsText(toRuns(indexes));
      counts.set(state, indexes.length);
    }
    d.readers = (this.cells?.readers ?? []).map((r) => `${r.position}-${r.windowEnd}`).join(',');
    const count = (s: CellState) => counts.get(s) ?? 0;
    const text =
      states.length === 0
        ? 'No media open.'
        : `${count('stored')} of ${states.length} chunks stored, ${count('downloading')} downloading, ${count('queued')} queued, ${count('failed')} failed, ${count('evicted')} evicted.`;
    this.canvas.setAttribute('aria-label', `Chunk map: ${text}`);
    this.summary.textContent = text;
  }
}
