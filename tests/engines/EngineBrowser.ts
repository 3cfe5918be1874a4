import type { PageLike } from '../../src/testing/PageLike.ts';

/** A page of any engine, as the specs need it: the kit's `PageLike`, plus navigation. */
export interface EnginePage extends PageLike {
  goto(url: string): Promise<void>;
  /** Resolve once `predicate` (run in the page) returns true; polls in the page. */
  waitFor(predicate: string): Promise<void>;
}

/**
 * A browser driven by its own driver: Chromium by Playwright (chromium.ts), Firefox by
 * puppeteer-core over BiDi (firefox.ts), WebKitGTK by selenium-webdriver (webkit.ts).
 */
export interface EngineBrowser {
  name: string;
  version: string;
  /** A new tab (the browser's first, blank one first). */
  newPage(): Promise<EnginePage>;
  close(): Promise<void>;
}
