import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { EngineBrowser, EnginePage } from './EngineBrowser.ts';

export type { EngineBrowser, EnginePage } from './EngineBrowser.ts';

/** Debian's WebKitGTK WebDriver (`webkit2gtk-driver`), or `$WEBKIT_DRIVER_PATH`. */
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
/** WebKitGTK's test browser, shipped in `libwebkit2gtk-4.1-0`, or `$WEBKIT_BROWSER_PATH`. */
export const WEBKIT_BROWSER_PATH =
  process.env.WEBKIT_BROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
/** The virtual X server MiniBrowser draws into (it has no headless mode). */
export const XVFB_PATH = process.env.XVFB_PATH ?? '/usr/bin/Xvfb';

/**
 * Why WebKit tests cannot run here, or null when they can. `persistent`: also what a launch with
 * a `dataDir` needs (gcc, to build webkit-persistent-browser.c).
 */
export function webkitMissing(options: { persistent?: boolean } = {}): string | null {
  const needs: [string, string][] = [
    [WEBKIT_DRIVER_PATH, 'webkit2gtk-driver'],
    [WEBKIT_BROWSER_PATH, 'libwebkit2gtk-4.1-0'],
    [XVFB_PATH, 'xvfb'],
  ];
  if (options.persistent) needs.push([process.env.CC ?? '/usr/bin/gcc', 'gcc']);
  const missing = needs.filter(([path]) => !existsSync(path));
  if (missing.length === 0) return null;
  return `WebKitGTK is not installed (${missing.map(([p]) => p).join(', ')}; apt-get install -y ${missing
    .map(([, pkg]) => pkg)
    .join(' ')} gstreamer1.0-libav gstreamer1.0-plugins-good)`;
}

/** A free TCP port on 127.0.0.1 (closed again; the driver binds it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start Xvfb on a display it picks itself (`-displayfd`: no guessing, no race with another
 * Xvfb), resolve with `:N` once it accepts clients.
 */
function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const xvfb = spawn(
      XVFB_PATH,
      ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp', '-noreset'],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], detached: true },
    );
    let stderr = '';
    xvfb.stderr?.on('data', (d) => {
      stderr += d;
    });
    let out = '';
    const fd3 = xvfb.stdio[3] as Readable;
    fd3.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ display: `:${out.trim()}`, process: xvfb });
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${stderr.trim()}`)));
    xvfb.once('error', reject);
  });
}

/** Kill a process group we started (the driver takes MiniBrowser and its web processes along). */
function killGroup(child: ChildProcess | undefined) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function waitForDriver(url: string, driver: ChildProcess, log: () => string) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited: ${log()}`);
    try {
      const res = await fetch(`${url}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not answer on ${url}: ${log()}`);
}

/**
 * The page function's result as JSON-safe data: `{ok}` or `{error}`. WebDriver's
 * `executeAsyncScript` runs this with (source, arg, done). `__name` is defined for the function:
 * tsx (esbuild keepNames) wraps named inner functions in `__name(...)` calls that travel with
 * `fn.toString()` (bench/launchBenchBrowser.ts defines it with an init script; classic WebDriver
 * has none, so it is a parameter of the wrapper here).
 */
const EVALUATE = `
const [source, arg, done] = arguments;
if (typeof globalThis.__name !== 'function') globalThis.__name = (f) => f;
let fn;
try {
  fn = new Function('__name', 'return (' + source + ')')((f) => f);
} catch (e) {
  done({ error: { name: 'SyntaxError', message: String(e && e.message), stack: '' } });
  return;
}
Promise.resolve()
  .then(() => fn(arg))
  .then(
    (value) => done({ ok: value === undefined ? null : value, undef: value === undefined }),
    (e) => done({ error: { name: String(e && e.name), message: String(e && e.message !== undefined ? e.message : e), stack: String(e && e.stack) } }),
  );
`;

type EvaluateReply =
  | { ok: unknown; undef: boolean; error?: undefined }
  | { error: { name: string; message: string; stack: string } };

/** Serialize the calls of all pages: one WebDriver session drives one window at a time. */
class Mutex {
  private last: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.last.then(fn, fn);
    this.last = next.catch(() => undefined);
    return next;
  }
}

export interface WebKitLaunchOptions {
  /**
   * Keep website data (IndexedDB, service worker registrations) in this directory across
   * launches. MiniBrowser cannot: with `--automation` it always runs on an ephemeral
   * WebsiteDataManager (Tools/MiniBrowser/gtk/main.c) and has no data-directory flag. With
   * `dataDir` the browser is `webkit-persistent-browser.c` instead (the same WebKitGTK, built
   * here with `gcc`), whose WebsiteDataManager lives in `dataDir`.
   */
  dataDir?: string;
  /** Milliseconds one `evaluate` may take (WebDriver's script timeout); default 5 minutes. */
  scriptTimeoutMs?: number;
  /**
   * WebKit features to turn on or off (`+Name` / `-Name`, as MiniBrowser's `--features`), e.g.
   * `['+StorageAPI', '+StorageAPIEstimate']`: WebKitGTK 2.50 ships `navigator.storage`
   * (StorageAPI, StorageAPIEstimate) and OPFS (FileSystem) off by default. Default: none.
   */
  features?: string[];
}

const SHIM_SOURCE = fileURLToPath(new URL('./webkit-persistent-browser.c', import.meta.url));

/**
 * The persistent-profile browser, compiled once per source version into the temp directory
 * (links against the runtime libraries only; no -dev package needed).
 */
export function persistentBrowserBinary(): string {
  const source = readFileSync(SHIM_SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'chunkwise-webkit');
  const binary = join(dir, `persistent-browser-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}`;
  try {
    execFileSync(
      process.env.CC ?? 'gcc',
      [
        '-O1',
        '-o',
        partial,
        SHIM_SOURCE,
        '-l:libwebkit2gtk-4.1.so.0',
        '-l:libgtk-3.so.0',
        '-l:libgobject-2.0.so.0',
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(
      `WebKit: a persistent data directory needs the small browser in ${SHIM_SOURCE}, built with gcc (apt-get install -y gcc): ${(error as Error).message}`,
    );
  }
  renameSync(partial, binary);
  return binary;
}

/**
 * WebKitGTK driven over classic WebDriver: selenium-webdriver talks to a `WebKitWebDriver` this
 * function starts, which starts the browser (MiniBrowser; with `dataDir`, the persistent browser
 * above), drawing into an Xvfb this function starts (GTK 3 MiniBrowser has no headless mode).
 * `close()` ends all of them. Pages expose `evaluate(fn, arg)` as the testing kit expects; the
 * calls of all pages run one at a time (one session drives one window at a time), so pages
 * cannot wait on each other inside `evaluate`.
 */
export async function launchWebKit(options: WebKitLaunchOptions = {}): Promise<EngineBrowser> {
  const browserOptions = options.dataDir
    ? {
        browserName: 'ChunkwiseWebKit',
        binary: persistentBrowserBinary(),
        args: [
          `--data-dir=${options.dataDir}`,
          ...(options.features?.length ? [`--features=${options.features.join(',')}`] : []),
        ],
      }
    : {
        browserName: 'MiniBrowser',
        binary: WEBKIT_BROWSER_PATH,
        args: [
          '--automation',
          '--autoplay-policy=allow',
          ...(options.features?.length ? [`--features=${options.features.join(',')}`] : []),
        ],
      };
  const { Builder } = await import('selenium-webdriver');
  const children: ChildProcess[] = [];
  const closeAll = () => {
    for (const c of children.reverse()) killGroup(c);
  };
  try {
    const xvfb = await startXvfb();
    children.push(xvfb.process);
    const port = await freePort();
    let driverLog = '';
    const driverProcess = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`], {
      // The machine's locale as it is: under LANG=C.UTF-8 (Debian containers, CI) WebKitGTK's
      // navigator.language is "C", which the demo must survive (src/app/localeGuard.ts).
      env: { ...process.env, DISPLAY: xvfb.display },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.push(driverProcess);
    const keep = (d: Buffer) => {
      driverLog = (driverLog + d).slice(-4000);
    };
    driverProcess.stdout?.on('data', keep);
    driverProcess.stderr?.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    await waitForDriver(url, driverProcess, () => driverLog);
    const driver = await new Builder()
      .usingServer(url)
      .withCapabilities({
        browserName: browserOptions.browserName,
        'webkitgtk:browserOptions': { binary: browserOptions.binary, args: browserOptions.args },
      })
      .build();
    await driver.manage().setTimeouts({ script: options.scriptTimeoutMs ?? 300_000 });
    const caps = await driver.getCapabilities();
    const version = String(caps.get('browserVersion') ?? 'unknown');
    const lock = new Mutex();
    let firstHandle: string | null = await driver.getWindowHandle();

    const makePage = (handle: string): EnginePage => {
      const inWindow = <T>(fn: () => Promise<T>) =>
        lock.run(async () => {
          await driver.switchTo().window(handle);
          return fn();
        });
      return {
        goto: (target) => inWindow(() => driver.get(target)),
        waitFor: async (predicate) => {
          const deadline = Date.now() + 30_000;
          for (;;) {
            const ok = await inWindow(() => driver.executeScript(`return !!(${predicate});`));
            if (ok) return;
            if (Date.now() > deadline)
              throw new Error(`WebKit: timed out waiting for ${predicate}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        },
        evaluate: async <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) => {
          const reply = (await inWindow(() =>
            driver.executeAsyncScript(EVALUATE, fn.toString(), arg ?? null),
          )) as EvaluateReply;
          if (reply.error) {
            const e = new Error(reply.error.message);
            e.name = reply.error.name;
            e.stack = `${reply.error.name}: ${reply.error.message}\n(in WebKit) ${reply.error.stack}`;
            throw e;
          }
          return (reply.undef ? undefined : reply.ok) as R;
        },
      };
    };

    return {
      name: 'webkit',
      version,
      async newPage() {
        // The session's first window serves the first page; later pages get new tabs.
        if (firstHandle) {
          const handle = firstHandle;
          firstHandle = null;
          return makePage(handle);
        }
        const handle = await lock.run(async () => {
          await driver.switchTo().newWindow('tab');
          return driver.getWindowHandle();
        });
        return makePage(handle);
      },
      async close() {
        await Promise.race([
          driver.quit().catch(() => undefined),
          new Promise((r) => setTimeout(r, 5_000)),
        ]);
        closeAll();
      },
    };
  } catch (e) {
    closeAll();
    throw e;
  }
}
