// Sums the JSON reports of vitest (reports/vitest.json) and Playwright (reports/playwright*.json)
// into the one line CI reads: "N passed, N failed". A missing report counts nothing (the runner
// did not get to run, and the exit status already says the run failed).
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const read = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null);

let passed = 0;
let failed = 0;
let skipped = 0;

const vitest = read('reports/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  if (vitest.numFailedTestSuites > 0 && vitest.numFailedTests === 0)
    failed += vitest.numFailedTestSuites;
}

// The browser suite (reports/playwright.json) and each example's smoke test
// (reports/playwright-example-<name>.json, tools/examples/run.sh).
const reports = existsSync('reports')
  ? readdirSync('reports').filter((f) => /^playwright.*\.json$/.test(f))
  : [];
for (const file of reports) {
  const playwright = read(`reports/${file}`);
  passed += playwright.stats?.expected ?? 0;
  failed += (playwright.stats?.unexpected ?? 0) + (playwright.stats?.flaky ?? 0);
  skipped += playwright.stats?.skipped ?? 0;
  // Errors outside tests (a config or fixture that failed to load) fail the run too.
  failed += playwright.errors?.length ?? 0;
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
