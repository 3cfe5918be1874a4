import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// vite-plugin-pwa compiles src/sw.ts (injectManifest) to /sw.js, whose scope (/) covers /stream/.
export default defineConfig({
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: {
        name: 'Chunkwise example',
        short_name: 'Chunkwise',
        start_url: '.',
        display: 'standalone',
        theme_color: '#1f2933',
        background_color: '#ffffff',
        icons: [],
      },
      // The app shell is precached; media is the stream proxy's business, not the precache's.
      injectManifest: { globPatterns: ['**/*.{js,css,html}'] },
    }),
  ],
});
