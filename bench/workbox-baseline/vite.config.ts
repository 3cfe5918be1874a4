import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The Workbox baseline of the benchmark: a page and a service worker (`/sw.js`, an ES module
 * worker) that answers range requests for `/media/*` from a full response in Cache Storage with
 * `workbox-range-requests`. Built into `bench/workbox-baseline/dist` by `bench/run.ts`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Workbox reads process.env.NODE_ENV to drop its dev-only logging and checks.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        sw: fileURLToPath(new URL('./sw.ts', import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  preview: { host: '127.0.0.1' },
});
