import { defineConfig } from 'tsdown';

/**
 * The library build (`npm run build:lib`): the four public entry points as ES modules with
 * bundled declarations in `lib/`, what `npm pack` ships. Dependencies and peer dependencies
 * (`idb`, Workbox, Playwright) stay imports. Two builds because the worker entries are typed
 * against the WebWorker library and the page/test entries against the DOM.
 */
const common = {
  outDir: 'lib',
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: false, // the output is not minified: readable as it is
  dts: true,
} as const;

export default defineConfig([
  {
    ...common,
    entry: { sw: 'src/sw/index.ts', workbox: 'src/workbox/index.ts' },
    tsconfig: 'tsconfig.sw.json',
    clean: true,
  },
  {
    ...common,
    entry: { client: 'src/client/index.ts', testing: 'src/testing/index.ts' },
    tsconfig: 'tsconfig.json',
    clean: false,
  },
]);
