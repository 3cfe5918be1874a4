/**
 * The demo as an installable, offline-first PWA, driven through its UI like a user: installable,
 * downloads for offline with progress, offline reload and playback, deletion freeing the bytes
 * the storage bar shows, the chunk map agreeing with the worker's stats, a sub-path deployment,
 * the notice on an uncontrolled page, and accessibility.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Page } from '@playwright/test';
import { playUntil, seekTo } from 'chunkwise/testing';
import { CHROMIUM_ARGS, findChromium } from './support/findChromium.ts';
import { expect, openApp, test } from './support/fixtures.ts';
import { serveStatic } from './support/staticServer.ts';

const FASTSTART = 'H.264/AAC MP4, faststart';
const row = (page: Page, title: string) => page.locator('li.media', { hasText: title });

/** Download `title` for offline from the library and wait until it is stored and pinned. */
async function downloadForOffline(page: Page, title: string): Promise<void> {
  await row(page, title)
    .getByRole('button', { name: `Download for offline: ${title}` })
    .click();
  await expect(row(page, title)).toHaveAttribute('data-pinned', 'true');
  await expect(row(page, title).locator('.progress')).toHaveAttribute('data-state', 'done');
}

test('installable_noInstallabilityErrors', async ({ app, origin }) => {
  // A persistent profile, as a user's: Chromium never offers to install from an incognito one.
  const profile = mkdtempSync(join(tmpdir(), 'chunkwise-install-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await openApp(page, app.url, origin.url);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    await checkManifest(page);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

async function checkManifest(page: Page): Promise<void> {
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
    return link ? (await fetch(link.href)).json() : null;
  });
  expect(manifest.display).toBe('standalone');
  const sizes = manifest.icons.map(
    (i: { sizes: string; purpose?: string }) => `${i.sizes}${i.purpose ? ` ${i.purpose}` : ''}`,
  );
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512', '512x512 maskable']));
}

test('downloadForOffline_progressReachesTheBar_thenPinned', async ({ proxyPage, origin }) => {
  // 3.5 MB in four 1 MiB chunks, all four at once: chunks 0-2 hold after 500 KB until released,
  // and chunk 3 (427,054 bytes, shorter than that) lands alone, so the bar is seen between its
  // first and its last chunk however slow the machine is.
  origin.setKnobs('/files/', { holdAfter: 500_000 });
  await row(proxyPage, FASTSTART)
    .getByRole('button', { name: `Download for offline: ${FASTSTART}` })
    .click();
  // A progress event between the first and the last chunk reached the bar.
  await proxyPage.waitForFunction(() => {
    const bar = document.querySelector<HTMLProgressElement>(
      'li.media[data-url*="sample-faststart"] .progress[data-state="running"] progress',
    );
    return bar !== null && bar.value > 0 && bar.value < bar.max;
  });
  await expect(row(proxyPage, FASTSTART).locator('[data-role="progress-text"]')).toContainText(
    'left',
  );
  origin.releaseHeld();
  await expect(row(proxyPage, FASTSTART)).toHaveAttribute('data-pinned', 'true', {
    timeout: 30_000,
  });
  await expect(row(proxyPage, FASTSTART).locator('[data-role="meta"]')).toContainText(
    'pinned for offline',
  );
});

test('offline_reloadShowsLibrary_storedMediaPlaysAndSeeks', async ({
  proxyPage,
  context,
  origin,
}) => {
  await downloadForOffline(proxyPage, FASTSTART);
  // The network gone: the context offline, and the origin refusing every read besides (no CORS
  // headers: a network error to the page and the worker alike).
  origin.setKnobs('', { noCors: true });
  await context.setOffline(true);
  try {
    await proxyPage.reload();
    await proxyPage.waitForFunction(() => window.chunkwise !== undefined);
    await expect(proxyPage.locator('#connectivity')).toHaveAttribute('data-state', 'offline');
    await expect(row(proxyPage, FASTSTART)).toHaveAttribute('data-pinned', 'true');
    await row(proxyPage, FASTSTART)
      .getByRole('button', { name: `Play: ${FASTSTART}` })
      .click();
    expect(await playUntil(proxyPage, '#video', 1)).toBeGreaterThan(1);
    expect(await seekTo(proxyPage, '#video', 5)).toBeCloseTo(5, 0);
    expect(await playUntil(proxyPage, '#video', 5.5)).toBeGreaterThan(5.5);
  } finally {
    await context.setOffline(false);
  }
});

test('deleteFromLibrary_freesTheBytesTheStorageBarShows', async ({ proxyPage }) => {
  await downloadForOffline(proxyPage, FASTSTART);
  const text = proxyPage.locator('#storage [data-role="text"]');
  await expect(text).not.toHaveAttribute('data-stored-bytes', '0');
  const before = Number(await text.getAttribute('data-stored-bytes'));
  const entry = await proxyPage.evaluate(async () =>
    (await window.chunkwise?.cache.list())?.find((e) => e.key.endsWith('/sample-faststart.mp4')),
  );
  await row(proxyPage, FASTSTART)
    .getByRole('button', { name: `Delete: ${FASTSTART}` })
    .click();
  await expect(text).toHaveAttribute(
    'data-stored-bytes',
    String(before - (entry?.storedBytes ?? 0)),
  );
  await expect(row(proxyPage, FASTSTART).locator('[data-role="meta"]')).toHaveText(
    'not stored yet',
  );
});

test('chunkMap_cellsMatchTheWorkersStats_afterASeek', async ({ proxyPage }) => {
  await proxyPage.getByText('Download settings').click();
  await proxyPage.locator('#chunk').fill('256');
  await row(proxyPage, FASTSTART)
    .getByRole('button', { name: `Play: ${FASTSTART}` })
    .click();
  await playUntil(proxyPage, '#video', 0.5);
  await seekTo(proxyPage, '#video', 6);
  // Once nothing downloads any more, what the map drew is exactly what the worker reports.
  await proxyPage.waitForFunction(async () => {
    const map = document.getElementById('chunk-map') as HTMLCanvasElement;
    const id = map.dataset.session;
    if (!id || !window.chunkwise) return false;
    const s = await window.chunkwise.stats(id);
    const a = s.activity;
    if (!a || a.downloading.length > 0 || a.queued.length > 0) return false;
    const runs = a.stored.map(([x, y]) => (x === y ? `${x}` : `${x}-${y}`)).join(',');
    return (
      map.dataset.stored === runs &&
      map.dataset.total === String(s.chunks.total) &&
      map.dataset.downloading === '' &&
      map.dataset.queued === ''
    );
  });
  const label = await proxyPage.locator('#chunk-map').getAttribute('aria-label');
  expect(label).toMatch(/^Chunk map: \d+ of \d+ chunks stored/);
});

test('subPath_builtAppServedUnderChunkwise_streamsUnderItsScope', async ({ browser, origin }) => {
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
  const site = await serveStatic(dist, '/chunkwise/');
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}?origin=${encodeURIComponent(origin.url)}`);
    await page.waitForFunction(() => window.chunkwise !== undefined || window.chunkwiseDemo?.error);
    const scope = await page.evaluate(() => window.chunkwise?.registration.scope);
    expect(scope).toBe(site.url);
    // The UI, its manifest and its icons load from the sub-path too.
    await expect(page.locator('li.media')).toHaveCount(3);
    const icons = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      const manifest = await (await fetch(link?.href ?? '')).json();
      const statuses = [];
      for (const icon of manifest.icons as { src: string }[])
        statuses.push((await fetch(new URL(icon.src, link?.href))).status);
      return { start: new URL(manifest.start_url, link?.href).href, statuses };
    });
    expect(icons.start).toBe(site.url);
    expect(icons.statuses.every((s) => s === 200)).toBe(true);
    const session = await page.evaluate(
      (url) => window.chunkwise?.createSession(url),
      `${origin.url}/files/sample-faststart.mp4`,
    );
    expect(new URL(session?.url ?? '', site.url).href.startsWith(`${site.url}stream/`)).toBe(true);
    const r = await page.evaluate(async (url) => {
      const response = await fetch(url, { headers: { Range: 'bytes=0-99' } });
      return { status: response.status, range: response.headers.get('Content-Range') };
    }, session?.url ?? '');
    expect(r).toEqual({ status: 206, range: 'bytes 0-99/3572782' });
  } finally {
    await context.close();
    await site.close();
  }
});

test('uncontrolledPage_appSaysSoAndHowToFixIt', async ({ browser, app, origin }) => {
  // A page no service worker controls, as after a hard reload (Shift+Reload). Chromium's CDP
  // reload with ignoreCache keeps the worker in control, so a context with service workers
  // blocked stands in for it: the app must say it is not proxied, and how to fix it.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.goto(`${app.url}?origin=${encodeURIComponent(origin.url)}`);
    await expect(page.locator('#control-notice')).toBeVisible();
    await expect(page.locator('#control-notice')).toContainText('does not control this page');
    // The reason names what happened and how to fix it.
    await expect(page.locator('#control-notice [data-reason]')).toContainText(
      /hard reload|refused/,
    );
    await expect(page.locator('#status')).toContainText('Not proxied');
    await expect(page.getByRole('button', { name: 'Reload normally' })).toBeVisible();
  } finally {
    await context.close();
  }
});

test('accessibility_axeFindsNoSeriousOrCriticalViolations', async ({ proxyPage }) => {
  await row(proxyPage, FASTSTART)
    .getByRole('button', { name: `Play: ${FASTSTART}` })
    .click();
  await playUntil(proxyPage, '#video', 0.5);
  const results = await new AxeBuilder({ page: proxyPage }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`),
  ).toEqual([]);
});

test('screenshot_mainScreenDuringAColdPlayback', async ({ proxyPage, origin }, testInfo) => {
  origin.setKnobs('/files/', { rate: 600_000 });
  await proxyPage.setViewportSize({ width: 1280, height: 1000 });
  await proxyPage.getByText('Download settings').click();
  await proxyPage.locator('#chunk').fill('128');
  await row(proxyPage, FASTSTART)
    .getByRole('button', { name: `Play: ${FASTSTART}` })
    .click();
  await playUntil(proxyPage, '#video', 1);
  await expect(proxyPage.locator('#chunk-map')).not.toHaveAttribute('data-stored', '');
  const dir = fileURLToPath(new URL('../../reports/screenshots/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const shot = await proxyPage.screenshot({ path: `${dir}demo-cold-playback.png`, fullPage: true });
  await testInfo.attach('demo-cold-playback', { body: shot, contentType: 'image/png' });
});

test('addMedia_invalidInput_clearMessage_validUrlJoinsTheLibrary', async ({
  proxyPage,
  origin,
}) => {
  const form = proxyPage.locator('#add-media');
  const error = form.locator('[data-role="error"]');
  await form.getByLabel('URL').fill('ftp://files.example.com/film.mp4');
  await form.getByRole('button', { name: 'Add and check' }).click();
  await expect(error).toContainText('Only http and https');
  await form.getByLabel('URL').fill(`${origin.url}/synthetic/300000?seed=3`);
  await form.getByLabel(/Request headers/).fill('no colon here');
  await form.getByRole('button', { name: 'Add and check' }).click();
  await expect(error).toContainText('Header line 1');
  await form.getByLabel(/Request headers/).fill('X-Demo: 1');
  await form.getByLabel('Title (optional)').fill('Synthetic bytes');
  await form.getByRole('button', { name: 'Add and check' }).click();
  await expect(error).toHaveText('');
  await expect(row(proxyPage, 'Synthetic bytes')).toBeVisible();
});

test('keyboard_focusStaysOnTheLibraryButton_whileChunksLandAndTheListRefreshes', async ({
  proxyPage,
  origin,
}) => {
  // Chunks 0-2 hold after 500 KB until released; chunk 3 (the last, shorter) lands alone first.
  origin.setKnobs('/files/', { holdAfter: 500_000 });
  const play = row(proxyPage, FASTSTART).getByRole('button', { name: `Play: ${FASTSTART}` });
  await play.focus();
  await proxyPage.keyboard.press('Enter');
  // The row's stored count changes twice: the list refreshed under the focused button.
  const meta = row(proxyPage, FASTSTART).locator('[data-role="meta"]');
  await expect(meta).toContainText('stored (1/4 chunks)');
  origin.releaseHeld();
  await expect(meta).toContainText('stored (4/4 chunks)');
  const focused = await proxyPage.evaluate(() => ({
    action: (document.activeElement as HTMLElement | null)?.dataset.action,
    url: document.activeElement?.closest('li')?.getAttribute('data-url'),
  }));
  expect(focused.action).toBe('play');
  expect(focused.url).toContain('sample-faststart.mp4');
});

test('budget_emptyRefused_lowerBudgetEvictsAndTheBarFollows', async ({ proxyPage }) => {
  await downloadForOffline(proxyPage, 'VP9/Opus WebM');
  await row(proxyPage, 'VP9/Opus WebM')
    .getByRole('button', { name: 'Unpin: VP9/Opus WebM' })
    .click();
  await expect(row(proxyPage, 'VP9/Opus WebM')).toHaveAttribute('data-pinned', 'false');
  const storage = proxyPage.locator('#storage');
  await storage.getByLabel('Budget (MiB)').fill('');
  await storage.getByRole('button', { name: 'Set budget' }).click();
  await expect(storage.locator('[data-role="budget-error"]')).toContainText('number of MiB');
  proxyPage.once('dialog', (dialog) => void dialog.accept());
  await storage.getByLabel('Budget (MiB)').fill('1');
  await storage.getByRole('button', { name: 'Set budget' }).click();
  await expect(storage.locator('[data-role="text"]')).toContainText('budget 1.0 MiB');
  const stored = Number(
    await storage.locator('[data-role="text"]').getAttribute('data-stored-bytes'),
  );
  expect(stored).toBeLessThanOrEqual(1024 * 1024);
  // The library follows the eviction.
  await expect(row(proxyPage, 'VP9/Opus WebM')).not.toHaveAttribute('data-stored', /^(\d+)\/\1$/);
});
