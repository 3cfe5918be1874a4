/**
 * Can one media URL be answered partly by responses the worker builds and partly by the
 * upstream's own `Response` objects? And does a media element take a 206 that ends before the
 * open-ended range it asked for? A platform probe: a minimal worker (`mixed-responses/sw.js`)
 * answers a `<video>` of a bundled sample in each way, with and without `crossorigin`, on every
 * installed engine; the page loads the metadata, seeks to 40 s and 5 s, plays, seeks to 55 s.
 * It prints what each did, never asserts (README "Platform facts", BENCHMARKS.md).
 *
 *   tsx bench/mixedResponses.ts [chromium|firefox|webkit]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../tests/browser/support/staticServer.ts';
import { ENGINES } from '../tests/engines/engines.ts';
import { type LogEntry, startOrigin } from '../tools/origin/index.ts';

interface Probe {
  steps: string[];
  error: string | null;
  events: string[];
}

const CASES: { answer: string; media: string; cors: boolean }[] = [];
for (const cors of [false, true])
  for (const media of ['sample.webm', 'sample-moov-end.mp4'])
    for (const answer of ['built', 'passed', 'mixed', 'mixed-1', ...(cors ? ['short'] : [])])
      CASES.push({ answer, media, cors });

/** The page's `probe()`, as a function every driver can serialize. */
const probe = new Function('arg', 'return window.probe();') as (arg: null) => Promise<Probe>;

/** What the element did, and how the worker answered it (from the origin's log). */
function summary(result: Probe, log: LogEntry[]): string {
  const requests = log.filter((e) => e.method === 'GET' && e.path.startsWith('/files/'));
  const query = requests.map((e) => new URL(e.url, 'http://x').searchParams);
  const passed = query.map((q) => q.get('passed') === '1');
  const modes = [...new Set(query.map((q) => q.get('mode')))];
  const short = query.filter((q) => q.get('short') === '1').length;
  const mixedFrom = passed.findIndex((p) => p !== passed[0]);
  const count = passed.filter(Boolean).length;
  // The worker numbers what it forwards; a request with a number already seen came from the
  // element itself, sent straight to the URL of a passed-through response (not via the worker).
  const numbers = query.map((q) => q.get('n'));
  const direct = numbers.filter((n, i) => numbers.indexOf(n) !== i).length;
  const kinds = `${requests.length} (${requests.length - count} built, ${count} passed${short ? `, ${short} short` : ''}${direct ? `, ${direct} straight to the upstream` : ''})`;
  const mix = mixedFrom < 0 ? 'never mixed' : `mixed from request ${mixedFrom}`;
  const fine = result.steps.every(
    (s) => !['timeout', 'error'].includes(s) && !s.startsWith('play '),
  );
  const outcome = result.error ?? (fine ? 'played and seeked' : 'stalled');
  return `${outcome} | ${result.steps.join(' ')} | ${kinds}, ${mix}, mode ${modes.join('/')}, ranges ${requests.map((e) => e.range?.slice(6) ?? 'none').join(' ')}`;
}

const only = process.argv[2];
const origin = await startOrigin({ port: 0 });
const app = await serveStatic(fileURLToPath(new URL('./mixed-responses/', import.meta.url)), '/');
console.log('| engine | crossorigin | answers | media | outcome | steps | requests |');
console.log('|---|---|---|---|---|---|---|');
try {
  for (const engine of ENGINES.filter((e) => !only || e.name === only)) {
    const missing = engine.missing();
    if (missing) {
      console.log(`| ${engine.name} | skipped: ${missing} |`);
      continue;
    }
    for (const c of CASES) {
      // A fresh profile per case: a worker registered by an earlier case would answer the next.
      const profile = mkdtempSync(join(tmpdir(), 'chunkwise-mixed-'));
      const browser = await engine.launch(profile);
      try {
        const page = await browser.newPage();
        const query = new URLSearchParams({
          answer: c.answer,
          up: `${origin.url}/files/`,
          media: c.media,
          cors: c.cors ? '1' : '0',
        });
        origin.clearLog();
        await page.goto(`${app.url}?${query}`);
        await page.waitFor('window.ready === true');
        const row = summary(await page.evaluate(probe, null), origin.log);
        console.log(
          `| ${engine.name} | ${c.cors ? 'anonymous' : 'none'} | ${c.answer} | ${c.media} | ${row} |`,
        );
      } catch (error) {
        console.log(
          `| ${engine.name} | ${c.cors ? 'anonymous' : 'none'} | ${c.answer} | ${c.media} | threw: ${(error as Error).message.split('\n')[0]} | | |`,
        );
      } finally {
        await browser.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
  }
} finally {
  await app.close();
  await origin.close();
}
