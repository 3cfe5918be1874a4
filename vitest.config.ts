import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The public entry points resolve to the library's sources (as in vite.config.ts). */
const alias = Object.fromEntries(
  ['sw', 'workbox', 'client', 'testing'].map((name) => [
    `chunkwise/${name}`,
    fileURLToPath(new URL(`src/${name}/index.ts`, import.meta.url)),
  ]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    // Type tests of the public types (tests/types), checked by tsc and counted as tests.
    typecheck: {
      enabled: true,
      include: ['tests/types/**/*.test-d.ts'],
      tsconfig: 'tsconfig.types.json',
    },
    environment: 'node',
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
