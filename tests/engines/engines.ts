import { chromiumMissing, launchChromium } from './chromium.ts';
import type { EngineBrowser, EnginePage } from './EngineBrowser.ts';
import { firefoxMissing, launchFirefox } from './firefox.ts';
import { launchWebKit, webkitMissing } from './webkit.ts';

export type { EngineBrowser, EnginePage } from './EngineBrowser.ts';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** How to get each engine: what it lacks here, and a browser on a profile kept on disk. */
export interface Engine {
  name: EngineName;
  /** Why this engine cannot run here (what to install), or null. */
  missing(): string | null;
  /**
   * A browser whose storage and worker registrations live in `profile`: closing it and launching
   * again on the same directory is a browser restart (WebKit: the persistent browser, `dataDir`).
   */
  launch(profile: string): Promise<EngineBrowser>;
}

export const ENGINES: Engine[] = [
  { name: 'chromium', missing: chromiumMissing, launch: (profile) => launchChromium({ profile }) },
  { name: 'firefox', missing: firefoxMissing, launch: (profile) => launchFirefox({ profile }) },
  {
    name: 'webkit',
    missing: () => webkitMissing({ persistent: true }),
    launch: (dataDir) => launchWebKit({ dataDir }),
  },
];

/**
 * A new page of `browser` on the demo app (`dist/`, served at `appUrl`), once its worker
 * controls it and `window.chunkwise` is ready; throws the app's own error otherwise.
 */
export async function openDemo(
  browser: EngineBrowser,
  appUrl: string,
  originUrl: string,
  store: 'indexeddb' | 'opfs' = 'indexeddb',
): Promise<EnginePage> {
  const page = await browser.newPage();
  await page.goto(`${appUrl}?origin=${encodeURIComponent(originUrl)}&store=${store}`);
  await page.waitFor(
    'window.chunkwise !== undefined || (window.chunkwiseDemo && window.chunkwiseDemo.error)',
  );
  const error = await page.evaluate(() => window.chunkwiseDemo.error, null);
  if (error) throw new Error(`app failed to start in ${browser.name} ${browser.version}: ${error}`);
  return page;
}
