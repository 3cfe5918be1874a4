import type { CacheEntry, DownloadProgress } from 'chunkwise/client';
import type { MediaItem } from '../catalog.ts';
import { ago, bytes, hideTokens, rate, seconds, shownUrl } from '../format.ts';
import { drawStoredRuns } from './drawStoredRuns.ts';

export type RowAction = 'play' | 'download' | 'unpin' | 'delete' | 'forget' | 'cancel';

/** What a row shows of a download: running, or its last result. */
export interface RowJob {
  progress: DownloadProgress | null;
  running: boolean;
}

/**
 * One media of the library, built once and updated in place (a re-render never destroys the
 * button a keyboard user is on): title, URL without its query, size, stored bytes, what plays
 * offline, last played, pinned; its buttons; its download progress; its last error.
 */
export class LibraryRow {
  readonly li = document.createElement('li');
  private readonly title = document.createElement('h3');
  private readonly url = document.createElement('p');
  private readonly meta = document.createElement('p');
  private readonly bar = document.createElement('div');
  private readonly buttons = document.createElement('div');
  private readonly button = new Map<RowAction, HTMLButtonElement>();
  private readonly labels = new Map<RowAction, string>();
  private readonly progressBox = document.createElement('div');
  private readonly progress = document.createElement('progress');
  private readonly progressText = document.createElement('span');
  private readonly error = document.createElement('p');

  constructor(item: MediaItem, onAction: (action: RowAction) => void, removable: boolean) {
    this.li.className = 'media';
    this.li.dataset.url = item.url;
    this.url.className = 'url';
    this.meta.className = 'meta';
    this.meta.dataset.role = 'meta';
    this.bar.className = 'stored-bar';
    this.bar.setAttribute('role', 'img');
    this.buttons.className = 'buttons';
    this.progressBox.className = 'progress';
    this.progressBox.hidden = true;
    this.progressText.dataset.role = 'progress-text';
    this.error.className = 'error';
    this.error.dataset.role = 'row-error';
    const labels: [RowAction, string][] = [
      ['play', 'Play'],
      ['download', 'Download for offline'],
      ['unpin', 'Unpin'],
      ['delete', 'Delete'],
      ...(removable ? ([['forget', 'Remove from library']] as [RowAction, string][]) : []),
    ];
    for (const [action, label] of labels) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.dataset.action = action;
      b.addEventListener('click', () => onAction(action));
      this.button.set(action, b);
      this.labels.set(action, label);
      this.buttons.append(b);
    }
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = 'Cancel';
    cancel.dataset.action = 'cancel';
    cancel.addEventListener('click', () => onAction('cancel'));
    this.button.set('cancel', cancel);
    this.progressBox.append(this.progress, this.progressText, cancel);
    this.li.append(
      this.title,
      this.url,
      this.meta,
      this.bar,
      this.buttons,
      this.progressBox,
      this.error,
    );
  }

  update(item: MediaItem, entry: CacheEntry | null, job: RowJob | null): void {
    this.title.textContent = item.title;
    this.url.textContent = shownUrl(item.url);
    const complete = entry !== null && entry.storedChunks === entry.chunkCount;
    this.meta.textContent = entry
      ? `${bytes(entry.size)} · ${bytes(entry.storedBytes)} stored (${entry.storedChunks}/${entry.chunkCount} chunks) · played ${ago(entry.lastAccess)}${entry.pinned ? ' · pinned for offline' : ''}`
      : 'not stored yet';
    this.li.dataset.pinned = String(entry?.pinned ?? false);
    this.li.dataset.stored = entry ? `${entry.storedChunks}/${entry.chunkCount}` : '0/0';
    this.drawStored(entry);
    for (const [action, b] of this.button) {
      const resume = action === 'download' && entry?.pinned === true && !complete;
      const label = resume ? 'Resume download' : (this.labels.get(action) ?? 'Cancel download');
      if (action !== 'cancel' && b.textContent !== label) b.textContent = label;
      b.setAttribute('aria-label', `${label}: ${item.title}`);
    }
    this.show('download', !job?.running && !(entry?.pinned && complete) && navigator.onLine);
    this.show('unpin', entry?.pinned === true && !job?.running);
    this.show('delete', entry !== null && !job?.running);
    this.showProgress(job, item.title);
  }

  /** Say what went wrong with the last action on this row (URLs without their queries). */
  fail(message: string | null): void {
    this.error.textContent = message === null ? '' : hideTokens(message);
  }

  /** Put focus on `action`'s button if it is shown (after the focused one went away). */
  focus(action: RowAction): void {
    const b = this.button.get(action);
    if (b && !b.hidden && !b.closest('[hidden]')) b.focus();
  }

  private show(action: RowAction, visible: boolean): void {
    const b = this.button.get(action);
    if (!b || b.hidden === !visible) return;
    const hadFocus = document.activeElement === b;
    b.hidden = !visible;
    // The button a keyboard user was on went away: keep them in the row.
    if (hadFocus && !visible) (this.button.get('play') as HTMLButtonElement).focus();
  }

  private showProgress(job: RowJob | null, title: string): void {
    const p = job?.progress ?? null;
    this.progressBox.hidden = p === null;
    if (!p) return;
    this.progressBox.dataset.state = p.state;
    this.progress.max = Math.max(1, p.totalBytes);
    this.progress.value = p.storedBytes;
    this.progress.setAttribute('aria-label', `Download for offline: ${title}`);
    this.progressText.textContent =
      p.state === 'running'
        ? `${bytes(p.storedBytes)} of ${bytes(p.totalBytes)} · ${rate(p.rate)} · ${seconds(p.eta)} left`
        : `${p.state}: ${bytes(p.storedBytes)} of ${bytes(p.totalBytes)}${p.error ? ` (${hideTokens(p.error)})` : ''}`;
    const cancel = this.button.get('cancel') as HTMLButtonElement;
    const running = job?.running === true && p.state === 'running';
    if (cancel.hidden === running) {
      if (!running && document.activeElement === cancel) this.focus('play');
      cancel.hidden = !running;
    }
  }

  private drawStored(entry: CacheEntry | null): void {
    const total = entry?.chunkCount ?? 0;
    const runs = entry?.storedChunkRanges ?? [];
    const pct = (n: number) => Math.round((n / total) * 100);
    this.bar.setAttribute(
      'aria-label',
      total === 0 || runs.length === 0
        ? 'Nothing stored'
        : `Plays offline: ${runs.map(([a, b]) => `${pct(a)}–${pct(b + 1)}%`).join(', ')}`,
    );
    drawStoredRuns(this.bar, runs, total);
  }
}
