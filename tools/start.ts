/**
 * `npm start`: the demo with no internet. Serves the built app (`dist/`, built by the npm script
 * just before) with `vite preview` and the bundled samples from the local origin on another port
 * (cross-origin, as a real CDN would be), then prints the URL to open.
 *
 * Ports: APP_PORT (default 5173) and ORIGIN_PORT (default 8081); HOST (default 127.0.0.1).
 */
import { preview } from 'vite';
import { startOrigin } from './origin/index.ts';

const host = process.env.HOST ?? '127.0.0.1';
const origin = await startOrigin({ host, port: Number(process.env.ORIGIN_PORT ?? 8081) });
const app = await preview({
  preview: { host, port: Number(process.env.APP_PORT ?? 5173), strictPort: true },
  logLevel: 'warn',
});
const appUrl = app.resolvedUrls?.local[0] ?? `http://${host}:5173/`;

console.log(
  `origin  ${origin.url}  (serves media/ under /files/, synthetic bytes under /synthetic/<size>)`,
);
console.log(`app     ${appUrl}`);
console.log(`\nOpen ${appUrl}?origin=${encodeURIComponent(origin.url)}\n`);

const stop = async () => {
  await Promise.allSettled([app.close(), origin.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
