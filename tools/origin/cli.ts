/**
 * `tsx tools/origin/cli.ts --port 8081 [--host 127.0.0.1] [--root dir]`
 * Starts the origin, prints its URL, and closes it on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startOrigin } from './origin.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8081' },
    host: { type: 'string', default: '127.0.0.1' },
    root: { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${values.port}`);
  process.exit(2);
}

const origin = await startOrigin({ port, host: values.host, root: values.root });
console.log(origin.url);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  console.error(`${signal}: closing origin`);
  await origin.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
