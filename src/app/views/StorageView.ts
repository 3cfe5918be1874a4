import type { CacheUsage, StreamProxyClient } from 'chunkwise/client';
import { bytes } from '../format.ts';

/**
 * The storage bar: bytes stored vs the budget vs what the browser grants, a control to change
 * the budget, and the request for persistent storage (only a page can ask: workers cannot).
 */
export class StorageView {
  constructor(
    private readonly proxy: StreamProxyClient,
    private readonly root: HTMLElement,
    /** The budget changed (media may have been evicted). */
    private readonly evicted: () => void,
  ) {
    const form = root.querySelector('form') as HTMLFormElement;
    const input = form.elements.namedItem('budget') as HTMLInputElement;
    const error = root.querySelector('[data-role="budget-error"]') as HTMLElement;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      const mib = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(mib) || mib < 0) {
        error.textContent = 'The budget is a number of MiB, 0 or more.';
        return;
      }
      const bytes = Math.round(mib * 1024 * 1024);
      const usage = await proxy.cache.usage();
      if (
        bytes < usage.storedBytes &&
        !confirm(`A budget below what is stored evicts media now (unpinned first). Set it?`)
      )
        return;
      try {
        this.show(await proxy.cache.setBudget(bytes));
        this.evicted();
      } catch (e) {
        error.textContent = (e as Error).message;
      }
    });
    const persist = root.querySelector('[data-action="persist"]') as HTMLButtonElement;
    const state = root.querySelector('[data-role="persisted"]') as HTMLElement;
    const showPersisted = (granted: boolean) => {
      state.textContent = granted
        ? 'Persistent: the browser will not clear this storage under pressure.'
        : 'Best effort: the browser may clear this storage under pressure.';
      state.dataset.persisted = String(granted);
    };
    void navigator.storage?.persisted?.().then(showPersisted);
    persist.addEventListener('click', async () => {
      showPersisted((await navigator.storage?.persist?.()) ?? false);
    });
  }

  async refresh(): Promise<void> {
    this.show(await this.proxy.cache.usage());
  }

  private show(usage: CacheUsage): void {
    // Drawn against the budget (the browser's grant is often hundreds of GB: stated, not drawn).
    const limit = Math.max(usage.budget, usage.storedBytes, 1);
    const bar = this.root.querySelector('[data-role="bar"]') as HTMLElement;
    const pct = (n: number) => `${Math.min(100, (n / limit) * 100).toFixed(2)}%`;
    (bar.querySelector('[data-part="stored"]') as HTMLElement).style.width = pct(usage.storedBytes);
    (bar.querySelector('[data-part="budget"]') as HTMLElement).style.left = pct(usage.budget);
    bar.setAttribute(
      'aria-label',
      `${bytes(usage.storedBytes)} stored of a ${bytes(usage.budget)} budget; the browser grants ${usage.browserQuota === null ? 'an unknown amount' : bytes(usage.browserQuota)}`,
    );
    const text = this.root.querySelector('[data-role="text"]') as HTMLElement;
    text.textContent = `${bytes(usage.storedBytes)} stored · budget ${bytes(usage.budget)} · the browser grants ${usage.browserQuota === null ? 'an unknown amount' : bytes(usage.browserQuota)} (${usage.store}${usage.storedAs === 'arraybuffer' ? ', as ArrayBuffers: this browser refuses Blobs in IndexedDB' : ''})`;
    text.dataset.storedBytes = String(usage.storedBytes);
    const input = this.root.querySelector('input[name="budget"]') as HTMLInputElement;
    if (document.activeElement !== input) input.value = String(Math.round(usage.budget / 1048576));
  }
}
