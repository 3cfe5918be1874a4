/**
 * The shared `ChunkStore` contract (tests/contract/) in real Chromium, for IndexedDB and OPFS:
 * one test per case per backend (`opfs › concurrentPuts_randomOrder_everyByteExact`). The page
 * side is bundled from tests/contract/browserEntry.ts with Vite and injected into a blank page of
 * the app's origin, so the stores use that origin's real storage.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { chunkStoreContract } from '../contract/chunkStoreContract.ts';
import type { Backend } from '../contract/openBackend.ts';
import { expect, test } from './support/fixtures.ts';

const BACKENDS: Backend[] = ['indexeddb', 'opfs'];
const ENTRY = fileURLToPath(new URL('../contract/browserEntry.ts', import.meta.url));

/** The page side as one classic script (Vite library build, IIFE, kept in memory). */
async function bundleBrowserEntry(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      write: false,
      target: 'es2022',
      minify: false,
      lib: { entry: ENTRY, formats: ['iife'], name: 'chunkStoreContract', fileName: 'contract' },
    },
  });
  for (const output of Array.isArray(result) ? result : [result]) {
    if (!('output' in output)) continue;
    const script = output.output.find((file) => file.type === 'chunk');
    if (script?.type === 'chunk') return script.code;
  }
  throw new Error('vite build produced no script for the contract page');
}

let bundle: Promise<string> | undefined;

/**
 * A blank page at the app's origin with the bundle loaded. The page is served by `page.route`,
 * not by the app: its storage is the origin's real storage, but no app or service worker runs
 * beside the stores under test. `chunkwiseLimitQuota` lowers the origin's real quota through CDP.
 */
async function openContractPage(page: Page, appUrl: string): Promise<void> {
  const url = new URL('__chunkstore-contract.html', appUrl).href;
  await page.route(url, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>contract</title>' }),
  );
  await page.exposeFunction('chunkwiseLimitQuota', async (bytes: number) => {
    const cdp = await page.context().newCDPSession(page);
    // Not detached: the override lives as long as this CDP session.
    await cdp.send('Storage.overrideQuotaForOrigin', {
      origin: new URL(appUrl).origin,
      quotaSize: bytes,
    });
  });
  await page.goto(url);
  bundle ??= bundleBrowserEntry();
  await page.addScriptTag({ content: await bundle });
}

for (const backend of BACKENDS) {
  test.describe(backend, () => {
    for (const contractCase of chunkStoreContract) {
      test(contractCase.name, async ({ page, app }) => {
        await openContractPage(page, app.url);
        await page.evaluate(
          ({ backend, name, runId }) => window.runChunkStoreCase?.(backend, name, runId),
          { backend, name: contractCase.name, runId: test.info().testId },
        );
        if (backend === 'opfs') {
          // Every write of the case has settled: none may have left its temp file behind.
          expect(await page.evaluate(() => window.countOpfsTempFiles?.())).toBe(0);
        }
      });
    }

    test('pageClosedMidWrite_reopenInNewPage_chunksAbsentOrExact', async ({ context, app }) => {
      const name = `interrupted-${test.info().testId}`;
      const writer = await context.newPage();
      await openContractPage(writer, app.url);
      await writer.evaluate(({ backend, name }) => window.interruptedWrites?.start(backend, name), {
        backend,
        name,
      });
      await writer.close(); // the other writes are still in flight: cut them off
      const reader = await context.newPage();
      await openContractPage(reader, app.url);
      const outcome = await reader.evaluate(
        ({ backend, name }) => window.interruptedWrites?.inspect(backend, name),
        { backend, name },
      );
      expect(outcome?.corrupt).toEqual([]);
      expect(outcome?.complete.length).toBeGreaterThan(0); // the first write had finished
      expect(outcome?.tempFiles).toBe(0); // reopening removed every leftover of a cut write
    });
  });
}
