import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectRangeConformance, playUntil, readStats } from 'chunkwise/testing';

// Any media file served with ranges works; this one sits next to the app (public/sample.mp4).
const sample = readFileSync(new URL('../public/sample.mp4', import.meta.url));
const chunkSize = 256 * 1024;

test('proxied: the worker controls the page, ranges are byte-exact, the video plays', async ({
  page,
}) => {
  await page.goto('/');
  await page.waitForFunction(() => window.proxy !== undefined);
  const session = await page.evaluate(
    (chunkSize) => window.proxy?.createSession('/sample.mp4', { chunkSize }),
    chunkSize,
  );
  if (!session) throw new Error('no session');
  await expectRangeConformance(page, session.url, {
    size: sample.length,
    bytes: sample,
    chunkSize,
  });

  await page.evaluate((src) => {
    (document.querySelector('video') as HTMLVideoElement).src = src;
  }, session.url);
  expect(await playUntil(page, 'video', 1)).toBeGreaterThan(1);
  const stats = await readStats(page, session.id);
  expect(stats.mode).toBe('parallel');
  expect(stats.chunks.stored).toBeGreaterThan(0);
});
