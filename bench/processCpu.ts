/**
 * Where the machine's CPU goes during one cold read: the CPU time (user + system, from
 * `/proc/<pid>/stat`) each Chromium process and this Node process (harness and in-process
 * origin) spent while the page read a new synthetic file, through the proxy or straight from the
 * unthrottled origin. A diagnosis tool (Linux only); it prints, never asserts.
 *
 *   tsx bench/processCpu.ts [MiB=256] [--direct] [--opfs] [--dist=dir]
 *   SETTINGS='{"chunkSize":4194304}' tsx bench/processCpu.ts   # session options
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createSession } from '../tests/browser/support/inPage.ts';
import { withBenchBrowser } from './launchBenchBrowser.ts';
import { timedFetch } from './page/timedFetch.ts';
import { startBenchServers } from './startBenchServers.ts';
import { MiB, mbps } from './units.ts';

/** CPU ms so far per process, keyed by a readable name (Chromium's process type and pid). */
function cpuByProcess(): Map<string, number> {
  const out = new Map<string, number>();
  const ticksMs = 10; // USER_HZ is 100 on Linux
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * ticksMs;
      let name: string;
      if (cmd.includes('chromium')) {
        const type = cmd.match(/--type=([a-z-]+)/)?.[1] ?? 'browser';
        const sub = cmd.match(/--utility-sub-type=([\w.]+)/)?.[1];
        name = `chromium ${type}${sub ? ` ${sub}` : ''} ${pid}`;
      } else if (String(process.pid) === pid) name = 'node (harness + origin)';
      else continue;
      out.set(name, ms);
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

const args = process.argv.slice(2);
const bytes = Number(args.find((a) => /^\d+$/.test(a)) ?? 256) * MiB;
const direct = args.includes('--direct');
const dist = args.find((a) => a.startsWith('--dist='))?.slice(7) ?? 'dist';
const settings = JSON.parse(process.env.SETTINGS ?? '{}');
const servers = await startBenchServers(dist);
try {
  await withBenchBrowser(
    servers,
    async (b) => {
      const url = `${servers.origin.url}/synthetic/${bytes}?seed=${Date.now() % 1e9}`;
      const session = direct ? null : await createSession(b.app, url, settings);
      const before = cpuByProcess();
      const r = await timedFetch(b.app, session ? session.url : url, { status: 200, bytes });
      const after = cpuByProcess();
      console.log(
        `${direct ? 'direct' : 'proxy'}: ${mbps(bytes, r.ms).toFixed(0)} MB/s, ${r.ms.toFixed(0)} ms; CPU ms per process:`,
      );
      for (const [name, ms] of after) {
        const spent = ms - (before.get(name) ?? 0);
        if (spent > 0) console.log(`${String(spent).padStart(7)}  ${name}`);
      }
    },
    args.includes('--opfs') ? 'opfs' : 'indexeddb',
  );
} finally {
  await servers.close();
}
