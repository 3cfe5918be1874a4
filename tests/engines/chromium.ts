import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../browser/support/findChromium.ts';
import type { EngineBrowser, EnginePage } from './EngineBrowser.ts';

export type { EngineBrowser, EnginePage } from './EngineBrowser.ts';

/** Why Chromium tests cannot run here (findChromium's one line), or null when they can. */
export function chromiumMissing(): string | null {
  try {
    findChromium();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A Playwright page as an `EnginePage`. */
export function chromiumPage(page: Page): EnginePage {
  return {
    goto: async (url) => {
      await page.goto(url);
    },
    waitFor: async (predicate) => {
      await page.waitForFunction(predicate, null, { timeout: 30_000 });
    },
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
      page.evaluate(fn as never, arg) as Promise<R>,
  };
}

/**
 * The suite's Chromium (findChromium, CHROMIUM_ARGS) as an `EngineBrowser`: a Playwright
 * persistent context on `profile` (default: a fresh one, deleted on close), so closing it and
 * launching again on the same profile is a browser restart that keeps the worker and storage.
 */
export async function launchChromium(options: { profile?: string } = {}): Promise<EngineBrowser> {
  const own = options.profile ? null : mkdtempSync(join(tmpdir(), 'chunkwise-chromium-'));
  const profile = options.profile ?? own ?? '';
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: findChromium(),
      args: CHROMIUM_ARGS,
    });
    // The context opens with one blank page: the first page asked for.
    let first: Page | undefined = context.pages()[0];
    return {
      name: 'chromium',
      version: context.browser()?.version() ?? 'unknown',
      async newPage() {
        const page = first ?? (await context.newPage());
        first = undefined;
        return chromiumPage(page);
      },
      async close() {
        await context.close();
        if (own) rmSync(own, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (own) rmSync(own, { recursive: true, force: true });
    throw error;
  }
}
