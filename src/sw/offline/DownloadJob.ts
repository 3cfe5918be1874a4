import type { DownloadProgress } from '../../shared/types.ts';
import { chunkLength } from '../cache/chunkMath.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import type { ParallelMedia } from '../media/ParallelMedia.ts';
import { RateMeter } from '../stats/RateMeter.ts';

/**
 * Download for offline: fetch every missing chunk of one media through its runtime's scheduler
 * (so the same concurrency cap and the one-download-per-chunk rule hold alongside playback),
 * keeping `concurrency` chunk waits open at a time. The media is pinned before it starts (the
 * caller checks the pinned total fits the budget). `cancel()` withdraws the waits and drops the
 * downloads nobody else needs.
 */
export class DownloadJob {
  readonly done: Promise<DownloadProgress>;
  private readonly abort = new AbortController();
  private readonly rate = new RateMeter();
  private state: DownloadProgress['state'] = 'running';
  private error: string | null = null;

  constructor(
    readonly id: string,
    private readonly runtime: ParallelMedia,
    private readonly cache: MediaCache,
    private readonly publish: (progress: DownloadProgress) => void,
  ) {
    this.done = this.run();
  }

  get key(): string {
    return this.runtime.key;
  }

  cancel(): void {
    if (this.state !== 'running') return;
    this.state = 'cancelled';
    this.abort.abort(new DOMException('download cancelled', 'AbortError'));
    this.runtime.retainWindows();
  }

  progress(): DownloadProgress {
    const entry = this.cache.entry(this.runtime.key);
    const storedBytes = entry?.storedBytes ?? 0;
    const totalBytes = this.runtime.size ?? 0;
    const rate = this.rate.rate();
    return {
      jobId: this.id,
      key: this.runtime.key,
      state: this.state,
      storedBytes,
      totalBytes,
      storedChunks: entry?.storedChunks ?? 0,
      totalChunks: this.runtime.chunkTotal,
      rate: Math.round(rate),
      eta: rate > 0 ? (totalBytes - storedBytes) / rate : null,
      error: this.error,
    };
  }

  private async run(): Promise<DownloadProgress> {
    const runtime = this.runtime;
    const size = runtime.size ?? 0;
    const missing: number[] = [];
    for (let i = 0; i < runtime.chunkTotal; i++) if (!runtime.isStored(i)) missing.push(i);
    let next = 0;
    const worker = async () => {
      while (next < missing.length && !this.abort.signal.aborted) {
        const index = missing[next++] as number;
        await runtime.ensureChunk(index, this.abort.signal);
        this.rate.add(chunkLength(index, size, runtime.chunkSize));
        this.publish(this.progress());
      }
    };
    try {
      await Promise.all(Array.from({ length: runtime.settings.concurrency }, worker));
      if (this.state === 'running') {
        const p = this.progress();
        this.state = p.storedChunks === p.totalChunks ? 'done' : 'failed';
        if (this.state === 'failed')
          this.error = `${p.totalChunks - p.storedChunks} chunks could not be stored (budget or storage full)`;
      }
    } catch (error) {
      if (this.state === 'running') {
        this.state = 'failed';
        this.error = (error as Error).message;
        this.abort.abort(error);
      }
    }
    const final = this.progress();
    this.publish(final);
    return final;
  }
}
