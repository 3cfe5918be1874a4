import type { SessionStats } from 'chunkwise/client';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const WINDOW_S = 60;

/**
 * The last minute of rates, one point a second: what the proxy downloads from the upstream vs
 * what it serves to the player (the bytes the player consumed), drawn by uPlot.
 */
export class RateGraph {
  private readonly plot: uPlot;
  private readonly data: [number[], number[], number[]] = [[], [], []];
  private last: { at: number; served: number } | null = null;
  private latest: SessionStats | null = null;

  constructor(container: HTMLElement) {
    this.plot = new uPlot(
      {
        width: Math.max(320, container.clientWidth || 640),
        height: 160,
        scales: {
          x: { time: true, range: (_u, _min, max) => [max - WINDOW_S, max] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [{}, { label: 'MB/s', size: 50 }],
        series: [
          {},
          { label: 'proxy ← upstream', stroke: '#1d4ed8', width: 2 },
          { label: 'player ← proxy', stroke: '#16a34a', width: 2 },
        ],
      },
      this.data,
      container,
    );
    setInterval(() => this.sample(), 1000);
    new ResizeObserver(() =>
      this.plot.setSize({ width: Math.max(320, container.clientWidth), height: 160 }),
    ).observe(container);
  }

  /** Take the newest stats of the media shown (sampled once a second). */
  update(stats: SessionStats | null): void {
    if (stats?.id !== this.latest?.id) this.last = null;
    this.latest = stats;
  }

  private sample(): void {
    const now = Date.now() / 1000;
    const s = this.latest;
    const served = s ? s.cacheHitBytes + s.upstreamBytes : 0;
    const consumed =
      this.last && now > this.last.at
        ? Math.max(0, served - this.last.served) / (now - this.last.at)
        : 0;
    this.last = { at: now, served };
    this.data[0].push(now);
    // A rate pushed seconds ago, with nothing since, is a download that stopped.
    const fresh = s !== null && Date.now() - s.updatedAt < 3000;
    this.data[1].push(fresh ? (s?.downloadRate ?? 0) / 1e6 : 0);
    this.data[2].push(consumed / 1e6);
    while ((this.data[0][0] ?? now) < now - WINDOW_S)
      for (const series of this.data) series.shift();
    this.plot.setData(this.data);
  }
}
