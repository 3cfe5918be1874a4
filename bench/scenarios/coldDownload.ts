import type { Page } from '@playwright/test';
import { createSession, sessionStats } from '../../tests/browser/support/inPage.ts';
import { alternate } from '../alternate.ts';
import { withBenchBrowser } from '../launchBenchBrowser.ts';
import { closeSession } from '../page/closeSession.ts';
import { timedFetch } from '../page/timedFetch.ts';
import type { ScenarioContext } from '../Scenario.ts';
import { mbps } from '../units.ts';
import { busyOverSpan } from '../upstreamBusy.ts';

/** What a cold proxy download left in its session's stats (anything but zeros is suspicious). */
export interface ColdRunStats {
  mode: string;
  retries: number;
  fallbacks: number;
  storageFailures: number;
  /** Concurrency setting of this read. */
  concurrency: number;
  /**
   * The upstream's own record of the read: the sum of its chunk responses' durations over the
   * span from the first request to the last byte (see upstreamBusy.ts): N when N connections
   * never sat idle.
   */
  busyOverSpan: number;
}

/**
 * MB/s of one cold read of a new synthetic file of `bytes` straight from the origin (no worker
 * answers it; the origin sends `no-store`, so nothing is cached).
 */
export async function coldDirect(ctx: ScenarioContext, page: Page, bytes: number): Promise<number> {
  const { origin } = ctx.servers;
  await origin.whenIdle();
  const url = `${origin.url}/synthetic/${bytes}?seed=${ctx.freshSeed()}`;
  const r = await timedFetch(page, url, { status: 200, bytes });
  return mbps(bytes, r.ms);
}

/**
 * MB/s of one cold read, start to end, of a new synthetic file of `bytes` through a new proxy
 * session (a new URL is a new cache key: nothing stored). The session is closed afterwards.
 */
export async function coldProxy(
  ctx: ScenarioContext,
  page: Page,
  bytes: number,
  settings: { concurrency: number; prefetch: number; chunkSize?: number },
  statsOut?: ColdRunStats[],
): Promise<number> {
  const { origin } = ctx.servers;
  await origin.whenIdle();
  const seed = ctx.freshSeed();
  const url = `${origin.url}/synthetic/${bytes}?seed=${seed}`;
  const logFrom = origin.log.length;
  const session = await createSession(page, url, settings);
  const r = await timedFetch(page, session.url, { status: 200, bytes });
  const s = await sessionStats(page, session.id);
  statsOut?.push({
    mode: s.mode,
    retries: s.retries,
    fallbacks: s.fallbacks,
    storageFailures: s.storageFailures,
    concurrency: settings.concurrency,
    busyOverSpan: busyOverSpan(
      origin.log
        .slice(logFrom)
        .filter((e) => e.method === 'GET' && e.url.endsWith(`seed=${seed}`) && e.bytesSent > 1),
    ),
  });
  await closeSession(page, session.id);
  return mbps(bytes, r.ms);
}

/**
 * Alternate, `pairs` times, one cold direct read and a cold proxy read at each concurrency
 * (prefetch 2 × concurrency) in one browser; figures keyed `direct` and `c<N>`, MB/s.
 */
export function alternateColdReads(
  ctx: ScenarioContext,
  label: string,
  pairs: number,
  bytes: number,
  concurrencies: number[],
  stats: ColdRunStats[],
): Promise<Record<string, number[]>> {
  return withBenchBrowser(ctx.servers, async (b) => {
    ctx.sawBrowser(b.version);
    return alternate(
      pairs,
      [
        ['direct', () => coldDirect(ctx, b.app, bytes)],
        ...concurrencies.map(
          (c) =>
            [
              `c${c}`,
              () => coldProxy(ctx, b.app, bytes, { concurrency: c, prefetch: 2 * c }, stats),
            ] as [string, () => Promise<number>],
        ),
      ],
      (step, round, v) => ctx.log(`${label} round ${round + 1} ${step}: ${v.toFixed(2)} MB/s`),
    );
  });
}
