import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The public entry points, as the demo imports them (`chunkwise/client`, `chunkwise/workbox`):
 * here they resolve to the library's sources, for a consumer to its built `lib/` (package.json
 * `exports`). The demo never imports an internal path.
 */
const entry = (name: string) => fileURLToPath(new URL(`src/${name}/index.ts`, import.meta.url));
const alias = Object.fromEntries(
  ['sw', 'workbox', 'client', 'testing'].map((name) => [`chunkwise/${name}`, entry(name)]),
);

/**
 * The demo app and its service worker are built together. The worker is compiled from
 * `src/app/sw.ts` by vite-plugin-pwa's `injectManifest` strategy and lands at `/sw.js`, so its
 * scope (the site root) covers `/stream/`. The plugin injects the precache manifest
 * (`self.__WB_MANIFEST`) for `workbox-precaching`.
 */
export default defineConfig({
  // Every URL relative to the page: the build works from any path of a static host.
  base: './',
  resolve: { alias },
  build: { target: 'es2022', sourcemap: true },
  preview: { host: '127.0.0.1', strictPort: true },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/app',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: {
        name: 'Chunkwise',
        short_name: 'Chunkwise',
        description: 'Play and keep media offline through a service-worker stream proxy.',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        theme_color: '#1d4ed8',
        background_color: '#ffffff',
      },
      // Icons (192, 512, maskable, apple-touch) generated from public/favicon.svg at build time
      // by @vite-pwa/assets-generator, and put into the manifest.
      pwaAssets: {
        image: 'public/favicon.svg',
        preset: 'minimal-2023',
        overrideManifestIcons: true,
      },
      injectManifest: {
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html,svg,png,ico}'], // the manifest is added by the plugin
        minify: false,
        sourcemap: true,
      },
    }),
  ],
});
