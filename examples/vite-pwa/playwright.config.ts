import { defineConfig } from '@playwright/test';

// The smoke test runs against the built app (`npm run build` first) in a system Chromium
// (CHROMIUM_PATH, default Debian's /usr/bin/chromium), or Playwright's own if you installed one.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests',
  timeout: 60_000,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.SMOKE_REPORT ?? 'test-results/smoke.json' }],
  ],
  use: {
    baseURL: 'http://127.0.0.1:4173/',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'],
    },
  },
  webServer: {
    command: 'npm run preview',
    url: 'http://127.0.0.1:4173/',
    reuseExistingServer: false,
  },
});
