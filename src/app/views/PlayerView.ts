import type { SessionInfo, SessionStats, StreamProxyClient } from 'chunkwise/client';
import type { MediaItem } from '../catalog.ts';
import { hideTokens, shownUrl } from '../format.ts';
import { drawStoredRuns } from './drawStoredRuns.ts';

type Mode = 'proxy' | 'direct';

/**
 * The player: plays a media through the proxy or straight from its origin (comparison mode),
 * times the first frame and each seek in both modes, and draws the stored ranges of what plays
 * through the proxy as a buffered-style bar under the video.
 */
export class PlayerView {
  private session: SessionInfo | null = null;
  private stopKeepAlive: (() => void) | null = null;
  private readonly timings: Record<Mode, { firstFrame: number | null; seeks: number[] }> = {
    proxy: { firstFrame: null, seeks: [] },
    direct: { firstFrame: null, seeks: [] },
  };
  private mode: Mode = 'proxy';
  private seekStarted = 0;
  /** Counts plays: a play superseded by a newer one stops at its next step. */
  private generation = 0;
  private cancelFirstFrame: () => void = () => undefined;
  item: MediaItem | null = null;

  constructor(
    private readonly proxy: StreamProxyClient,
    readonly video: HTMLVideoElement,
    private readonly storedBar: HTMLElement,
    private readonly table: HTMLElement,
    private readonly caption: HTMLElement,
    private readonly options: () => { chunkSize?: number; concurrency?: number },
  ) {
    video.addEventListener('seeking', () => {
      this.seekStarted = performance.now();
    });
    video.addEventListener('seeked', () => {
      if (this.seekStarted)
        this.timings[this.mode].seeks.push(performance.now() - this.seekStarted);
      this.seekStarted = 0;
      this.renderTimings();
    });
  }

  /** The session playing through the proxy now (null when direct or nothing). */
  get sessionId(): string | null {
    return this.session?.id ?? null;
  }

  /** Play `item` through the proxy or direct; rejects with why it could not start. */
  async play(item: MediaItem, mode: Mode): Promise<void> {
    const generation = ++this.generation;
    await this.stop();
    this.item = item;
    this.mode = mode;
    this.timings[mode] = { firstFrame: null, seeks: [] };
    let src = item.url;
    if (mode === 'proxy') {
      let session: SessionInfo;
      try {
        session = await this.proxy.createSession(item.url, {
          ...this.options(),
          headers: item.headers,
        });
      } catch (error) {
        if (generation === this.generation) {
          this.video.removeAttribute('src');
          this.video.load();
          this.caption.textContent = `${item.title} could not be played: ${hideTokens((error as Error).message)}`;
        }
        throw error;
      }
      if (generation !== this.generation) {
        await this.proxy.closeSession(session.id).catch(() => undefined);
        return;
      }
      this.session = session;
      src = session.url;
      this.stopKeepAlive = this.proxy.keepAlive(this.video);
    }
    this.caption.textContent = `${item.title} — ${mode === 'proxy' ? 'through the proxy' : 'direct from the origin'} (${shownUrl(item.url)})`;
    const started = performance.now();
    const firstFrame = () => {
      if (generation !== this.generation) return;
      this.timings[mode].firstFrame = performance.now() - started;
      this.renderTimings();
    };
    // The first frame presented where the browser tells (requestVideoFrameCallback), else the
    // first frame decoded.
    const video = this.video as HTMLVideoElement & {
      requestVideoFrameCallback?: (f: () => void) => number;
      cancelVideoFrameCallback?: (handle: number) => void;
    };
    if (video.requestVideoFrameCallback) {
      const handle = video.requestVideoFrameCallback(firstFrame);
      this.cancelFirstFrame = () => video.cancelVideoFrameCallback?.(handle);
    } else {
      video.addEventListener('loadeddata', firstFrame, { once: true });
      this.cancelFirstFrame = () => video.removeEventListener('loadeddata', firstFrame);
    }
    this.video.src = src;
    this.renderStored(null);
    await this.video.play().catch(() => undefined);
  }

  /** Seek to a quarter, half and three quarters in turn (times show in the table). */
  async seekTest(): Promise<void> {
    const d = this.video.duration;
    const generation = this.generation;
    if (!Number.isFinite(d)) return;
    for (const f of [0.25, 0.5, 0.75]) {
      if (generation !== this.generation) return;
      const seeked = new Promise((resolve) => {
        this.video.addEventListener('seeked', resolve, { once: true });
        this.video.addEventListener('error', resolve, { once: true });
        this.video.addEventListener('emptied', resolve, { once: true });
      });
      this.video.currentTime = d * f;
      await seeked;
    }
  }

  /** Stats of the session playing: draw its stored ranges. */
  update(stats: SessionStats): void {
    if (stats.id === this.session?.id) this.renderStored(stats);
  }

  /** The chunk the player is at, estimated from its time (media bytes are roughly even in time). */
  playerChunk(stats: SessionStats | null): number | null {
    const d = this.video.duration;
    if (!stats || !Number.isFinite(d) || d <= 0 || stats.chunks.total === 0) return null;
    return Math.min(
      stats.chunks.total - 1,
      Math.floor((this.video.currentTime / d) * stats.chunks.total),
    );
  }

  private async stop(): Promise<void> {
    this.cancelFirstFrame();
    this.stopKeepAlive?.();
    this.stopKeepAlive = null;
    const old = this.session;
    this.session = null;
    if (old) await this.proxy.closeSession(old.id).catch(() => undefined);
  }

  private renderStored(stats: SessionStats | null): void {
    const total = stats?.chunks.total ?? 0;
    const runs = stats?.activity?.stored ?? [];
    drawStoredRuns(this.storedBar, runs, total);
    this.storedBar.setAttribute(
      'aria-label',
      total
        ? `Stored: ${runs.length} ranges, ${runs.reduce((n, [a, b]) => n + b - a + 1, 0)} of ${total} chunks`
        : 'Stored: nothing yet',
    );
  }

  private renderTimings(): void {
    const ms = (n: number | null) => (n === null ? '—' : `${Math.round(n)} ms`);
    const rows = (['proxy', 'direct'] as const).map((mode) => {
      const t = this.timings[mode];
      const seeks = t.seeks.length ? t.seeks.map((s) => ms(s)).join(', ') : '—';
      return `<tr data-mode="${mode}"><th scope="row">${mode === 'proxy' ? 'Through the proxy' : 'Direct'}</th><td data-role="first-frame">${ms(t.firstFrame)}</td><td>${seeks}</td></tr>`;
    });
    this.table.innerHTML = rows.join('');
  }
}
