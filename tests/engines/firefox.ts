import { existsSync } from 'node:fs';
import type { EngineBrowser } from './EngineBrowser.ts';

export type { EngineBrowser, EnginePage } from './EngineBrowser.ts';

/** Debian's Firefox ESR, or `$FIREFOX_PATH`. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Why Firefox tests cannot run here, or null when they can. */
export function firefoxMissing(): string | null {
  return existsSync(FIREFOX_PATH)
    ? null
    : `Firefox is not installed (${FIREFOX_PATH}; apt-get install -y firefox-esr)`;
}

/**
 * Firefox driven over WebDriver BiDi by puppeteer-core (Playwright's own Firefox channel does
 * not work with ESR 153), headless, on `profile` (default: a fresh one). Pages expose
 * `evaluate(fn, arg)` as the testing kit expects.
 */
export async function launchFirefox(options: { profile?: string } = {}): Promise<EngineBrowser> {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    protocol: 'webDriverBiDi',
    // A profile kept across launches: a browser restart keeps its service worker and storage.
    ...(options.profile ? { userDataDir: options.profile } : {}),
    extraPrefsFirefox: {
      // Media tests play muted video without a gesture, as Chromium's autoplay flag allows.
      'media.autoplay.default': 0,
      'media.autoplay.blocking_policy': 0,
    },
  });
  return {
    name: 'firefox',
    version: await browser.version(),
    async newPage() {
      const page = await browser.newPage();
      return {
        goto: async (url) => {
          await page.goto(url);
        },
        waitFor: async (predicate) => {
          await page.waitForFunction(predicate, { timeout: 30_000 });
        },
        evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
          page.evaluate(fn as never, arg) as Promise<R>,
      };
    },
    close: () => browser.close(),
  };
}
