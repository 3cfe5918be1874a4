import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../tests/browser/support/findChromium.ts';
import { openApp, type StoreOption } from '../tests/browser/support/fixtures.ts';
import type { BenchServers } from './startBenchServers.ts';

/** One Chromium with a fresh on-disk profile, and the pages a scenario measures in. */
export interface BenchBrowser {
  browser: Browser;
  context: BrowserContext;
  /** A page of the built app, controlled by the Chunkwise worker, `window.chunkwise` ready. */
  app: Page;
  /** A page of the Workbox baseline, controlled by its worker (opened on first use). */
  workbox(): Promise<Page>;
  /** The browser's version, e.g. `156.0.8078.79`. */
  version: string;
  /** The chunk backend the app's worker was asked for (`?store=`) and really uses. */
  store: StoreOption;
}

/**
 * Throw unless the app's worker really keeps its chunks in `store` (`cache.usage().store`): the
 * worker falls back to IndexedDB silently when OPFS fails to open, and a figure measured on the
 * other backend would be labelled wrong. A harness check, run after the app opens and again
 * wherever a scenario restarted the worker.
 */
export async function assertStore(page: Page, store: StoreOption, where: string): Promise<void> {
  const used = await page.evaluate(async () => (await window.chunkwise?.cache.usage())?.store);
  if (used !== store)
    throw new Error(`${where}: the worker uses ${used}, the run asked for ${store}`);
}

/**
 * Run `body` in a fresh Chromium (same executable and flags as the browser tests) whose profile
 * is a new temporary directory, deleted afterwards. A persistent profile on disk, not an
 * incognito context: IndexedDB then lives on disk as for a user, and the ~1.25 GiB incognito
 * quota (README "Platform facts") does not cut the large-file scenarios short. `store` picks the worker's
 * chunk backend (`?store=` on the app's URL; IndexedDB by default), checked with `assertStore`.
 */
export async function withBenchBrowser<T>(
  servers: BenchServers,
  body: (b: BenchBrowser) => Promise<T>,
  store: StoreOption = 'indexeddb',
): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'chunkwise-bench-'));
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: findChromium(),
      args: CHROMIUM_ARGS,
      headless: true,
    });
    const ctx = context;
    // tsx (esbuild keepNames) wraps named inner functions in `__name(...)`; functions handed to
    // page.evaluate carry that call into the page, where it must exist.
    await ctx.addInitScript('globalThis.__name = (fn) => fn;');
    const browser = ctx.browser();
    if (!browser) throw new Error('no Browser behind the persistent context');
    const app = ctx.pages()[0] ?? (await ctx.newPage());
    await openApp(app, servers.appUrl, servers.origin.url, store);
    await assertStore(app, store, 'bench browser start');
    let workbox: Page | null = null;
    return await body({
      browser,
      context: ctx,
      app,
      version: browser.version(),
      store,
      workbox: async () => {
        if (workbox) return workbox;
        const page = await ctx.newPage();
        await page.goto(servers.workboxUrl);
        await page.waitForFunction(() => window.workboxBench !== undefined);
        await page.evaluate(() => window.workboxBench.ready);
        workbox = page;
        return page;
      },
    });
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
