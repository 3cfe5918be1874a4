import type { Page } from '@playwright/test';
import type { SessionOptions } from '../../src/shared/types.ts';
import { createSession, sessionStats } from '../../tests/browser/support/inPage.ts';
import { timedFetch } from '../page/timedFetch.ts';
import type { ScenarioContext } from '../Scenario.ts';

/** Throttle of S4 and S5: 1 MB/s per connection, 50 ms before the response headers. */
export const MEDIA_THROTTLE = { rate: 1_000_000, ttfb: 50 };

/**
 * A new URL of origin file `name` (an ignored query parameter makes it unique): a fresh media
 * element cache entry for direct playback, and a fresh cache key (nothing stored) for the proxy.
 */
export function freshFileUrl(ctx: ScenarioContext, name: string): string {
  return `${ctx.servers.origin.url}/files/${name}?run=${ctx.freshSeed()}`;
}

/** A proxy session on a fresh URL of `name`: nothing of it is cached. */
export async function coldSession(
  ctx: ScenarioContext,
  page: Page,
  name: string,
  options: SessionOptions = {},
): Promise<{ id: string; url: string }> {
  return createSession(page, freshFileUrl(ctx, name), options);
}

/**
 * A URL of `name` read once, whole, through the proxy (the cache is full) and the size read.
 * Later sessions on this URL are warm.
 */
export async function warmUrl(ctx: ScenarioContext, page: Page, name: string): Promise<string> {
  const url = freshFileUrl(ctx, name);
  const session = await createSession(page, url);
  const head = await page.evaluate(async (u) => {
    const r = await fetch(u, { method: 'HEAD' });
    return Number(r.headers.get('Content-Length'));
  }, session.url);
  await timedFetch(page, session.url, { status: 200, bytes: head });
  const stats = await sessionStats(page, session.id);
  if (stats.chunks.stored !== stats.chunks.total)
    throw new Error(`${name}: ${stats.chunks.stored}/${stats.chunks.total} chunks stored`);
  await ctx.servers.origin.whenIdle();
  return url;
}
