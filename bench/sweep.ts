/**
 * Settings sweep for diagnosis: the scenarios' workloads with other chunk sizes, prefetch
 * windows and concurrencies given per session, to see which setting a miss depends on. Cases
 * of one group alternate within each repetition. Prints medians; asserts nothing.
 *
 *   tsx bench/sweep.ts [--dist=dir] [--reps=N] [--only=firstFrame,seek,warm,cold,link]
 */
import { createSession } from '../tests/browser/support/inPage.ts';
import { alternate } from './alternate.ts';
import { parseBenchOptions } from './benchOptions.ts';
import { fmt } from './formatTable.ts';
import { withBenchBrowser } from './launchBenchBrowser.ts';
import { median } from './median.ts';
import { closeSession } from './page/closeSession.ts';
import { playAndSeek } from './page/playAndSeek.ts';
import { timedFetch } from './page/timedFetch.ts';
import type { ScenarioContext } from './Scenario.ts';
import { coldDirect, coldProxy } from './scenarios/coldDownload.ts';
import { coldSession, freshFileUrl, MEDIA_THROTTLE } from './scenarios/mediaSources.ts';
import { startBenchServers } from './startBenchServers.ts';
import { KiB, MiB, mbps } from './units.ts';

const args = process.argv.slice(2);
const reps = Number(args.find((a) => a.startsWith('--reps='))?.slice(7) ?? 3);
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice(7).split(',')) : null;
const options = parseBenchOptions(args.filter((a) => a.startsWith('--dist=')));
const servers = await startBenchServers(options.dist);
let seed = 5000;
const ctx: ScenarioContext = {
  options,
  servers,
  log: (line) => process.stderr.write(`${line}\n`),
  freshSeed: () => ++seed,
  sawBrowser: () => undefined,
};
const { origin } = servers;
type Case = [string, () => Promise<number>];
const out: string[] = ['| group | case | unit | median | values |', '|---|---|---|---|---|'];

async function group(name: string, unit: string, cases: Case[]): Promise<void> {
  if (only && !only.has(name)) return;
  const values = await alternate(reps, cases, (step, round, v) =>
    ctx.log(`${name} ${round + 1} ${step}: ${fmt(v)} ${unit}`),
  );
  for (const [label] of cases) {
    const v = values[label] as number[];
    out.push(`| ${name} | ${label} | ${unit} | ${fmt(median(v))} | ${v.map(fmt).join(', ')} |`);
  }
}

try {
  await withBenchBrowser(servers, async (b) => {
    const app = b.app;
    const sizes = [64 * KiB, 256 * KiB, 1 * MiB];

    origin.resetKnobs();
    origin.setKnobs('/files/', MEDIA_THROTTLE);
    const firstFrame = async (chunkSize: number | null) => {
      await origin.whenIdle();
      if (chunkSize === null)
        return (await playAndSeek(app, freshFileUrl(ctx, 'sample-faststart.mp4'))).firstFrameMs;
      const s = await coldSession(ctx, app, 'sample-faststart.mp4', { chunkSize });
      const t = await playAndSeek(app, s.url);
      await closeSession(app, s.id);
      return t.firstFrameMs;
    };
    await group('firstFrame', 'ms', [
      ['direct', () => firstFrame(null)],
      ...sizes.map((c) => [`chunk ${c / KiB} KiB`, () => firstFrame(c)] as Case),
    ]);
    const seek = async (chunkSize: number | null) => {
      await origin.whenIdle();
      const name = 'sample-moov-end.mp4';
      if (chunkSize === null)
        return (await playAndSeek(app, freshFileUrl(ctx, name), [48])).seeks[0]?.seekedMs ?? NaN;
      const s = await coldSession(ctx, app, name, { chunkSize, prefetch: 0 });
      const t = await playAndSeek(app, s.url, [48]);
      await closeSession(app, s.id);
      return t.seeks[0]?.seekedMs ?? NaN;
    };
    await group('seek', 'ms', [
      ['direct', () => seek(null)],
      ...sizes.map((c) => [`prefetch 0, chunk ${c / KiB} KiB`, () => seek(c)] as Case),
    ]);

    origin.resetKnobs();
    if (!only || only.has('warm')) {
      const bytes = 64 * MiB;
      const warm: Case[] = [];
      const direct = `${origin.url}/synthetic/${bytes}?seed=${ctx.freshSeed()}`;
      warm.push([
        'direct',
        async () => mbps(bytes, (await timedFetch(app, direct, { status: 200, bytes })).ms),
      ]);
      for (const chunkSize of [256 * KiB, 1 * MiB, 4 * MiB]) {
        const url = `${origin.url}/synthetic/${bytes}?seed=${ctx.freshSeed()}`;
        const s = await createSession(app, url, { chunkSize });
        await timedFetch(app, s.url, { status: 200, bytes });
        warm.push([
          `chunk ${chunkSize / KiB} KiB`,
          async () => mbps(bytes, (await timedFetch(app, s.url, { status: 200, bytes })).ms),
        ]);
      }
      await group('warm', 'MB/s', warm);
    }

    const cold = 128 * MiB;
    await group('cold', 'MB/s', [
      ['direct', () => coldDirect(ctx, app, cold)],
      ...[1, 2, 4, 6].map(
        (c) =>
          [
            `chunk 1 MiB, c ${c}`,
            () => coldProxy(ctx, app, cold, { concurrency: c, prefetch: 2 * c }),
          ] as Case,
      ),
      [
        'chunk 256 KiB, c 4',
        () => coldProxy(ctx, app, cold, { concurrency: 4, prefetch: 16, chunkSize: 256 * KiB }),
      ],
      [
        'chunk 4 MiB, c 4',
        () => coldProxy(ctx, app, cold, { concurrency: 4, prefetch: 8, chunkSize: 4 * MiB }),
      ],
    ]);

    origin.setKnobs('/synthetic/', { rate: 5_000_000, linkRate: 20_000_000 });
    const linked = 64 * MiB;
    await group('link', 'MB/s', [
      ['chunk 1 MiB, c 4', () => coldProxy(ctx, app, linked, { concurrency: 4, prefetch: 8 })],
      [
        'chunk 4 MiB, c 4',
        () => coldProxy(ctx, app, linked, { concurrency: 4, prefetch: 8, chunkSize: 4 * MiB }),
      ],
      [
        'chunk 1 MiB, c 4, prefetch 16',
        () => coldProxy(ctx, app, linked, { concurrency: 4, prefetch: 16 }),
      ],
    ]);
    origin.resetKnobs();
  });
} finally {
  await servers.close();
}
process.stdout.write(`${out.join('\n')}\n`);
