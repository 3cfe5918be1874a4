import type { Page } from '@playwright/test';

/** Close a proxy session from the page: its downloads stop, its cached chunks stay. */
export function closeSession(page: Page, id: string): Promise<void> {
  return page.evaluate(async (id) => {
    await window.chunkwise?.closeSession(id);
  }, id);
}
