import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../tests/browser/support/findChromium.ts';
import { openApp } from '../tests/browser/support/fixtures.ts';
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
}

/**
 * Run `body` in a fresh Chromium (same executable and flags as the browser tests) whose profile
 * is a new temporary directory, deleted afterwards. A persistent profile on disk, not an
 * incognito context: IndexedDB then lives on disk as for a user, and the ~1.25 GiB incognito
 * quota (PLATFORM.md) does not cut the large-file scenarios short.
 */
export async function withBenchBrowser<T>(
  servers: BenchServers,
  body: (b: BenchBrowser) => Promise<T>,
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
    await openApp(app, servers.appUrl, servers.origin.url);
    let workbox: Page | null = null;
    return await body({
      browser,
      context: ctx,
      app,
      version: browser.version(),
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
