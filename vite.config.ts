import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The app and its service worker are built together. The worker is compiled from
 * `src/sw/sw.ts` by vite-plugin-pwa's `injectManifest` strategy and lands at `/sw.js`, so its
 * scope (the site root) covers `/stream/`. The plugin injects the precache manifest
 * (`self.__WB_MANIFEST`) for `workbox-precaching`.
 */
export default defineConfig({
  build: { target: 'es2022', sourcemap: true },
  preview: { host: '127.0.0.1', strictPort: true },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html,svg}'],
        minify: false,
        sourcemap: true,
      },
    }),
  ],
});
