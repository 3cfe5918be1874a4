import type { CacheEntry, DownloadHandle, StreamProxyClient } from 'chunkwise/client';
import { added, forgetMedia, type MediaItem } from '../catalog.ts';
import { shownUrl } from '../format.ts';
import { LibraryRow, type RowAction, type RowJob } from './LibraryRow.ts';

export interface LibraryActions {
  play(item: MediaItem): void;
  /** The media the library offers now (the catalog). */
  items(): MediaItem[];
  /** Session options for a download (chunk size, concurrency from the settings). */
  options(): { chunkSize?: number; concurrency?: number };
  /** Something changed what is stored: refresh the storage bar. */
  changed(): void;
  /** Tell the user (a polite live region). */
  announce(text: string): void;
}

interface Job extends RowJob {
  handle: DownloadHandle | null;
}

/**
 * The library: every known media with its cache state and actions (`LibraryRow`). Rows are
 * kept per URL and updated in place; refreshes are serialized so an older answer never
 * overwrites a newer one.
 */
export class LibraryView {
  private readonly rows = new Map<string, LibraryRow>();
  private readonly jobs = new Map<string, Job>();
  private items = new Map<string, MediaItem>();
  private entries = new Map<string, CacheEntry>();
  private generation = 0;

  constructor(
    private readonly proxy: StreamProxyClient,
    private readonly list: HTMLElement,
    private readonly actions: LibraryActions,
  ) {
    addEventListener('online', () => this.render());
    addEventListener('offline', () => this.render());
  }

  /** Read the cache listing and show it (a later refresh wins over an earlier one). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const entries = await this.proxy.cache.list();
    if (generation !== this.generation) return;
    const catalog = this.actions.items();
    this.items = new Map(catalog.map((i) => [i.url, i]));
    for (const e of entries)
      if (!this.items.has(e.key)) this.items.set(e.key, { title: shownUrl(e.url), url: e.url });
    this.entries = new Map(entries.map((e) => [e.key, e]));
    this.render();
  }

  private render(): void {
    const wanted = [...this.items.values()];
    for (const [url, row] of this.rows) {
      if (this.items.has(url)) continue;
      row.li.remove();
      this.rows.delete(url);
    }
    wanted.forEach((item, index) => {
      let row = this.rows.get(item.url);
      if (!row) {
        const removable = added().some((i) => i.url === item.url);
        row = new LibraryRow(item, (action) => void this.act(item.url, action), removable);
        this.rows.set(item.url, row);
      }
      row.update(item, this.entries.get(item.url) ?? null, this.jobs.get(item.url) ?? null);
      // Moved only when out of place (moving a focused node would drop its focus).
      if (this.list.children[index] !== row.li)
        this.list.insertBefore(row.li, this.list.children[index] ?? null);
    });
  }

  private async act(url: string, action: RowAction): Promise<void> {
    const item = this.items.get(url);
    const row = this.rows.get(url);
    if (!item || !row) return;
    row.fail(null);
    try {
      if (action === 'play') this.actions.play(item);
      else if (action === 'download') await this.download(item, row);
      else if (action === 'cancel') await this.jobs.get(url)?.handle?.cancel();
      else if (action === 'unpin') await this.proxy.unpin(url);
      else if (action === 'delete') await this.proxy.cache.delete(url);
      else if (action === 'forget') forgetMedia(url);
    } catch (error) {
      row.fail((error as Error).message);
      this.actions.announce(`${item.title}: ${(error as Error).message}`);
    }
    if (action !== 'play' && action !== 'download') {
      await this.refresh();
      this.actions.changed();
    }
  }

  private async download(item: MediaItem, row: LibraryRow): Promise<void> {
    if (this.jobs.get(item.url)?.running) return; // one download per media
    const job: Job = { handle: null, progress: null, running: true };
    this.jobs.set(item.url, job);
    this.render();
    try {
      job.handle = await this.proxy.download(
        { url: item.url },
        { ...this.actions.options(), headers: item.headers },
      );
    } catch (error) {
      this.jobs.delete(item.url);
      this.render();
      throw error;
    }
    job.progress = job.handle.initial;
    this.render();
    row.focus('cancel');
    const stop = job.handle.onProgress((p) => {
      job.progress = p;
      row.update(item, this.entries.get(item.url) ?? null, job);
    });
    const last = await job.handle.finished.catch(() => null);
    stop();
    job.running = false;
    if (last) job.progress = last;
    this.actions.announce(
      last ? `${item.title}: download ${last.state}.` : `${item.title}: download stopped.`,
    );
    await this.refresh();
    this.actions.changed();
  }
}
