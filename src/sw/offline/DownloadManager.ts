import { DOWNLOAD_CHANNEL } from '../../shared/channels.ts';
import type { DownloadProgress, SessionInfo } from '../../shared/types.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import type { MediaRegistry } from '../media/MediaRegistry.ts';
import { DownloadJob } from './DownloadJob.ts';

/**
 * Downloads for offline: one job per request, progress pushed on `DOWNLOAD_CHANNEL`. A media is
 * pinned for its download (LRU never evicts it until `unpin`); a pin that would take the pinned
 * total past the budget is refused before anything is evicted.
 */
export class DownloadManager {
  private readonly jobs = new Map<string, DownloadJob>();
  private readonly channel: BroadcastChannel | null =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel(DOWNLOAD_CHANNEL) : null;

  constructor(
    private readonly media: MediaRegistry,
    private readonly cache: MediaCache,
  ) {}

  /** Cancel every job and close the channel (the proxy is released). */
  release(): void {
    for (const job of this.jobs.values()) job.cancel();
    this.channel?.close();
  }

  /** Whether a download of `key` is running (its runtime must not be closed under it). */
  isActive(key: string): boolean {
    for (const job of this.jobs.values()) if (job.key === key) return true;
    return false;
  }

  async start(
    session: SessionInfo,
    jobId: string = crypto.randomUUID(),
  ): Promise<{ job: DownloadJob; progress: DownloadProgress }> {
    const runtime = await this.media.forSession(session);
    if (runtime.mode !== 'parallel') {
      throw new ProxyError(
        'bad-request',
        { mode: runtime.mode },
        `Cannot download for offline in single mode (${runtime.reason}).`,
      );
    }
    const usage = await this.cache.usage();
    const pinned = this.cache.pinnedBytes(runtime.key);
    if (pinned + runtime.size > usage.budget) {
      throw new ProxyError(
        'over-budget',
        { pinnedBytes: pinned, size: runtime.size, budget: usage.budget },
        `Pinning ${runtime.size} bytes would take pinned media to ${pinned + runtime.size} of a ${usage.budget}-byte budget.`,
      );
    }
    await this.cache.setPinned(runtime.key, true);
    const job = new DownloadJob(jobId, runtime, this.cache, (p) => this.channel?.postMessage(p));
    this.jobs.set(job.id, job);
    void job.done.finally(() => this.jobs.delete(job.id));
    return { job, progress: job.progress() };
  }

  cancel(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job)
      throw new ProxyError('bad-request', { jobId }, 'No such download (finished already?).');
    job.cancel();
  }

  /** Let LRU evict `key` again. */
  async unpin(key: string): Promise<void> {
    if (!this.cache.getMedia(key))
      throw new ProxyError('bad-request', { key }, 'No such media in the cache.');
    await this.cache.setPinned(key, false);
  }
}
