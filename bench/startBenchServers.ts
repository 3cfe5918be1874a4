import { fileURLToPath } from 'node:url';
import { build, type PreviewServer, preview } from 'vite';
import { type Origin, startOrigin } from '../tools/origin/index.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WORKBOX_ROOT = fileURLToPath(new URL('./workbox-baseline/', import.meta.url));

/** The three servers of a run: upstream origin, the built app, the Workbox baseline app. */
export interface BenchServers {
  origin: Origin;
  /** The built Chunkwise app (`vite preview` of `dist`). */
  appUrl: string;
  /** The Workbox range-requests baseline (`bench/workbox-baseline`, built here). */
  workboxUrl: string;
  close(): Promise<void>;
}

async function previewUrl(server: PreviewServer): Promise<string> {
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return url;
}

/**
 * Start the origin in-process, serve the already built app from `dist` (as the browser tests
 * do, see tests/browser/support/fixtures.ts), build the Workbox baseline and serve it on another
 * port. Everything listens on 127.0.0.1 only.
 */
export async function startBenchServers(dist: string): Promise<BenchServers> {
  await build({
    root: WORKBOX_ROOT,
    configFile: `${WORKBOX_ROOT}vite.config.ts`,
    logLevel: 'warn',
  });
  const origin = await startOrigin({ port: 0 });
  const servers: PreviewServer[] = [];
  try {
    servers.push(
      await preview({
        root: ROOT,
        configFile: `${ROOT}vite.config.ts`,
        logLevel: 'warn',
        build: { outDir: dist },
        preview: { port: 0, host: '127.0.0.1', strictPort: false },
      }),
    );
    servers.push(
      await preview({
        root: WORKBOX_ROOT,
        configFile: `${WORKBOX_ROOT}vite.config.ts`,
        logLevel: 'warn',
        preview: { port: 0, host: '127.0.0.1', strictPort: false },
      }),
    );
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    await origin.close();
    throw error;
  }
  const [app, workbox] = servers as [PreviewServer, PreviewServer];
  return {
    origin,
    appUrl: await previewUrl(app),
    workboxUrl: await previewUrl(workbox),
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
      await origin.close();
    },
  };
}
