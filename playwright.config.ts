import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './tests/browser/support/findChromium.ts';
import type { StoreOption } from './tests/browser/support/fixtures.ts';

/**
 * Browser tests: real Chromium, the built app (`vite build` first, served by `vite preview`) and
 * a real origin server on another port. One browser at a time (2-core machines).
 *
 * Two projects, one per chunk backend: every spec runs on IndexedDB; the core specs (ranges,
 * playback and seeks, worker restart, persistence and offline, eviction, quota) run on OPFS too.
 * The store contract spec runs both backends itself, so it runs once.
 */
const CORE_SPECS = [
  '**/stream-ranges.spec.ts',
  '**/playback.spec.ts',
  '**/worker-restart.spec.ts',
  '**/persistence.spec.ts',
  '**/cache-lifecycle.spec.ts',
  '**/storage-failure.spec.ts',
  '**/scheduling.spec.ts',
];

export default defineConfig<{ store: StoreOption }>({
  testDir: 'tests/browser',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // The JSON report feeds the CI's "N passed, N failed" line (tools/ci/countResults.mjs).
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'indexeddb', use: { store: 'indexeddb' } },
    { name: 'opfs', use: { store: 'opfs' }, testMatch: CORE_SPECS },
  ],
});
