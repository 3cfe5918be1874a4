import type { Page } from '@playwright/test';

/**
 * Stop every service worker of the page's browser through CDP (`ServiceWorker.stopAllWorkers`)
 * and resolve once CDP reports them stopped: the worker's globals are gone, as when Chromium
 * stops an idle worker. Waits on CDP events, not on time.
 */
export async function stopWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  // Status of every worker version CDP told us about; done when we saw one and all stopped.
  const status = new Map<string, string>();
  let onVersions: (() => void) | null = null;
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) status.set(v.versionId, v.runningStatus);
    onVersions?.();
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise<void>((resolve) => {
    onVersions = () => {
      if (status.size > 0 && [...status.values()].every((s) => s === 'stopped')) resolve();
    };
    onVersions();
  });
  await cdp.detach();
}
