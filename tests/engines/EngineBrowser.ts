import type { PageLike } from '../../src/testing/PageLike.ts';

/** A page of another engine, as the specs need it: the kit's `PageLike`, plus navigation. */
export interface EnginePage extends PageLike {
  goto(url: string): Promise<void>;
  /** Resolve once `predicate` (run in the page) returns true; polls in the page. */
  waitFor(predicate: string): Promise<void>;
}

/** A browser of another engine than Playwright's Chromium, driven by its own driver. */
export interface EngineBrowser {
  name: string;
  version: string;
  newPage(): Promise<EnginePage>;
  close(): Promise<void>;
}
