import { fileURLToPath } from 'node:url';
import { test as base, type Page } from '@playwright/test';
import { type PreviewServer, preview } from 'vite';
import { type Origin, startOrigin } from '../../../tools/origin/index.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface WorkerFixtures {
  /** The upstream origin server (cross-origin to the app), reset before each test. */
  origin: Origin;
  /** The built app (`dist/`) served by `vite preview` on a free port. */
  app: { url: string };
}

/** The chunk backend the app's worker is asked to use (a Playwright project option). */
export type StoreOption = 'indexeddb' | 'opfs';

interface TestFixtures {
  /** Which chunk backend this project runs against (`?store=` on the app's URL). */
  store: StoreOption;
  /** A page of the demo app, controlled by the worker, with `window.chunkwise` ready. */
  proxyPage: Page;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  origin: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take a destructured first argument.
    async ({}, use) => {
      const origin = await startOrigin({ port: 0 });
      await use(origin);
      await origin.close();
    },
    { scope: 'worker' },
  ],
  app: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take a destructured first argument.
    async ({}, use) => {
      const server: PreviewServer = await preview({
        root: ROOT,
        configFile: `${ROOT}vite.config.ts`,
        logLevel: 'warn',
        preview: { port: 0, host: '127.0.0.1', strictPort: false },
      });
      const url = server.resolvedUrls?.local[0];
      if (!url) throw new Error('vite preview did not report a URL');
      await use({ url });
      await server.close();
    },
    { scope: 'worker' },
  ],
  store: ['indexeddb', { option: true }],
  proxyPage: async ({ page, app, origin, store }, use) => {
    origin.resetKnobs();
    origin.clearLog();
    await openApp(page, app.url, origin.url, store);
    await use(page);
  },
});

/** Load the demo app and wait until its worker controls the page and the client is ready. */
export async function openApp(
  page: Page,
  appUrl: string,
  originUrl: string,
  store: StoreOption = 'indexeddb',
): Promise<void> {
  await page.goto(`${appUrl}?origin=${encodeURIComponent(originUrl)}&store=${store}`);
  await page.waitForFunction(() => window.chunkwise !== undefined || window.chunkwiseDemo?.error);
  const error = await page.evaluate(() => window.chunkwiseDemo.error);
  if (error) throw new Error(`app failed to start: ${error}`);
  // The project's backend must really be the one in use (OPFS falls back silently otherwise).
  const usage = await page.evaluate(() => window.chunkwise?.cache.usage());
  if (usage?.store !== store)
    throw new Error(`worker uses ${usage?.store}, project wants ${store}`);
}

export { expect } from '@playwright/test';
