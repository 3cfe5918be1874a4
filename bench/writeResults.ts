import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

/**
 * Write `results` as `bench/results/<ISO timestamp>.json` (colons replaced, so the name is valid
 * everywhere), through a `.tmp` file renamed at the end: an interrupted run leaves no half file.
 * Returns the path written.
 */
export function writeResults(startedAt: Date, results: unknown): string {
  mkdirSync(RESULTS, { recursive: true });
  const name = `${startedAt
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z')}.json`;
  const path = `${RESULTS}${name}`;
  writeFileSync(`${path}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}
