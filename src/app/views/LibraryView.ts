import type {
  CacheEntry,
  DownloadHandle,
  DownloadProgress,
  StreamProxyClient,
} from 'chunkwise/client';
import type { MediaItem } from '../catalog.ts';
import { ago, bytes, rate, seconds, shownUrl } from '../format.ts';

export interface LibraryActions {
  play(item: MediaItem): void;
  /** Session options for a download (chunk size, concurrency from the settings). */
  options(): { chunkSize?: number; concurrency?: number };
  /** Something changed what is stored: refresh the storage bar. */
  changed(): void;
}

interface Row {
  item: MediaItem;
  entry: CacheEntry | null;
}

/**
 * The library: every known media with its cache state (size, stored bytes, what is playable,
 * last played, pinned) and its actions: play, download for offline (progress with bytes, rate
 * and ETA, cancel), unpin, delete.
 */
export class LibraryView {
  private readonly jobs = new Map<string, { handle: DownloadHandle; last: DownloadProgress }>();
  private rows: Row[] = [];

  constructor(
    private readonly proxy: StreamProxyClient,
    private readonly list: HTMLElement,
    private readonly actions: LibraryActions,
  ) {}

  async refresh(items: MediaItem[]): Promise<void> {
    const entries = await this.proxy.cache.list();
    const byKey = new Map(entries.map((e) => [e.key, e]));
    this.rows = items.map((item) => ({ item, entry: byKey.get(item.url) ?? null }));
    for (const entry of entries) {
      if (!items.some((i) => i.url === entry.key))
        this.rows.push({ item: { title: shownUrl(entry.url), url: entry.url }, entry });
    }
    this.render();
  }

  private render(): void {
    this.list.replaceChildren(...this.rows.map((row) => this.renderRow(row)));
  }

  private renderRow({ item, entry }: Row): HTMLElement {
    const li = document.createElement('li');
    li.className = 'media';
    li.dataset.url = item.url;
    const title = document.createElement('h3');
    title.textContent = item.title;
    const url = document.createElement('p');
    url.className = 'url';
    url.textContent = shownUrl(item.url);
    const meta = document.createElement('p');
    meta.className = 'meta';
    meta.dataset.role = 'meta';
    meta.textContent = entry
      ? `${bytes(entry.size)} · ${bytes(entry.storedBytes)} stored (${entry.storedChunks}/${entry.chunkCount} chunks) · played ${ago(entry.lastAccess)}${entry.pinned ? ' · pinned for offline' : ''}`
      : 'not stored yet';
    li.dataset.pinned = String(entry?.pinned ?? false);
    li.dataset.stored = entry ? `${entry.storedChunks}/${entry.chunkCount}` : '0/0';
    li.append(title, url, meta, storedBar(entry), this.renderButtons(item, entry));
    const job = this.jobs.get(item.url);
    if (job) li.append(progressOf(job.last, () => void job.handle.cancel()));
    return li;
  }

  private renderButtons(item: MediaItem, entry: CacheEntry | null): HTMLElement {
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    const button = (label: string, action: string, run: () => unknown) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.dataset.action = action;
      b.setAttribute('aria-label', `${label}: ${item.title}`);
      b.addEventListener('click', () => void run());
      buttons.append(b);
    };
    button('Play', 'play', () => this.actions.play(item));
    if (entry?.pinned) button('Unpin', 'unpin', () => this.unpin(entry.key));
    else if (!this.jobs.has(item.url))
      button('Download for offline', 'download', () => this.download(item));
    if (entry) button('Delete', 'delete', () => this.delete(entry.key));
    return buttons;
  }

  private async download(item: MediaItem): Promise<void> {
    const handle = await this.proxy.download(
      { url: item.url },
      { ...this.actions.options(), headers: item.headers },
    );
    this.jobs.set(item.url, { handle, last: handle.initial });
    this.render();
    handle.onProgress((p) => {
      const job = this.jobs.get(item.url);
      if (job) job.last = p;
      const row = this.list.querySelector(`li[data-url="${CSS.escape(item.url)}"] .progress`);
      row?.replaceWith(progressOf(p, () => void handle.cancel()));
    });
    const last = await handle.finished.catch(() => null);
    this.jobs.delete(item.url);
    await this.refresh(this.rows.map((r) => r.item));
    this.actions.changed();
    const row = this.list.querySelector(`li[data-url="${CSS.escape(item.url)}"]`);
    if (row && last) row.append(progressOf(last, null));
  }

  private async unpin(key: string): Promise<void> {
    await this.proxy.unpin(key);
    await this.refresh(this.rows.map((r) => r.item));
  }

  private async delete(key: string): Promise<void> {
    await this.proxy.cache.delete(key);
    await this.refresh(this.rows.map((r) => r.item));
    this.actions.changed();
  }
}

/** The stored chunks of a media as a bar: what plays offline. */
function storedBar(entry: CacheEntry | null): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'stored-bar';
  bar.setAttribute('role', 'img');
  const total = entry?.chunkCount ?? 0;
  const runs = entry?.storedChunkRanges ?? [];
  bar.setAttribute(
    'aria-label',
    total === 0
      ? 'Nothing stored'
      : `Stored: ${runs.map(([a, b]) => `${Math.round((a / total) * 100)}–${Math.round(((b + 1) / total) * 100)}%`).join(', ') || 'nothing'}`,
  );
  for (const [first, last] of runs) {
    const part = document.createElement('span');
    part.style.left = `${(first / total) * 100}%`;
    part.style.width = `${((last - first + 1) / total) * 100}%`;
    bar.append(part);
  }
  return bar;
}

/** A download's progress: bar, bytes, rate, ETA, and a cancel button while it runs. */
function progressOf(p: DownloadProgress, cancel: (() => void) | null): HTMLElement {
  const box = document.createElement('div');
  box.className = 'progress';
  box.dataset.state = p.state;
  const bar = document.createElement('progress');
  bar.max = Math.max(1, p.totalBytes);
  bar.value = p.storedBytes;
  bar.setAttribute('aria-label', 'Download for offline');
  const text = document.createElement('span');
  text.dataset.role = 'progress-text';
  text.textContent =
    p.state === 'running'
      ? `${bytes(p.storedBytes)} of ${bytes(p.totalBytes)} · ${rate(p.rate)} · ${seconds(p.eta)} left`
      : `${p.state}: ${bytes(p.storedBytes)} of ${bytes(p.totalBytes)}${p.error ? ` (${p.error})` : ''}`;
  box.append(bar, text);
  if (cancel && p.state === 'running') {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'Cancel';
    b.dataset.action = 'cancel';
    b.addEventListener('click', cancel);
    box.append(b);
  }
  return box;
}
