/**
 * The real worker runtime in Node: a `StreamProxy` over a real `IdbChunkStore` on a fresh
 * fake-indexeddb database, reaching a scripted `FakeUpstream` through `options.fetch`. Tests
 * drive it with `Request`s exactly as the worker glue does (`handle(request, id)`) and read whole
 * bodies, so every byte path — stored Blob, chunked stream, fallback, single mode — is the one
 * the browser runs.
 */
import 'fake-indexeddb/auto';
import type { SessionInfo, SessionOptions, SessionStats } from '../../../../src/shared/types.ts';
import { StreamProxy, type StreamProxyOptions } from '../../../../src/sw/StreamProxy.ts';
import type { ChunkStore } from '../../../../src/sw/store/ChunkStore.ts';
import { openStorage, type Storage } from '../../../../src/sw/store/openStorage.ts';
import { joined as concat } from '../../../contract/contractData.ts';
import { type FakeUpstream, fakeUpstream, type RecordedRequest } from './fakeUpstream.ts';
import { until } from './until.ts';

/** The media most tests use: 9½ chunks of `CHUNK` bytes, so the last chunk is short. */
export const SIZE = 9500;
export const CHUNK = 1000;
export const CHUNKS = Math.ceil(SIZE / CHUNK);

/** Proxy options of every harness unless a test overrides them: no retry backoff to wait for. */
export const TEST_OPTIONS: StreamProxyOptions = {
  chunkSize: CHUNK,
  concurrency: 3,
  prefetch: 8,
  retryDelayMs: 0,
};

/** The page origin requests come from; the proxy only looks at the path. */
const PAGE = 'https://app.test';

/** A response read to its end. */
export interface Read {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

/** A response read until its end or until its body broke (`error`, else null). */
export interface PartialRead extends Read {
  error: unknown;
}

export interface ProxyHarnessOptions {
  /** Default: a fresh fake serving `SIZE` bytes. */
  upstream?: FakeUpstream;
  /** Merged over `TEST_OPTIONS`; `fetch` is always the fake's. */
  options?: StreamProxyOptions;
  /** Wrap the chunk store the proxy gets (e.g. `HeldWritesStore` for slow storage). */
  wrapChunks?: (chunks: ChunkStore) => ChunkStore;
  /** Reopen this database (a worker restart); default: a new one. */
  dbName?: string;
}

let databases = 0;
/** Harnesses not released yet (`releaseHarnesses`). */
const live = new Set<ProxyHarness>();

/** Release every harness still open: each test file's `afterEach(releaseHarnesses)`. */
export async function releaseHarnesses(): Promise<void> {
  for (const h of [...live]) await h.release();
}

export class ProxyHarness {
  private released = false;

  private constructor(
    readonly proxy: StreamProxy,
    readonly storage: Storage,
    readonly upstream: FakeUpstream,
    readonly dbName: string,
    /** Sessions created through this harness (and the harnesses it restarted from). */
    private readonly sessions: SessionInfo[],
  ) {}

  static async open(o: ProxyHarnessOptions = {}): Promise<ProxyHarness> {
    return ProxyHarness.openWith(o, []);
  }

  private static async openWith(
    o: ProxyHarnessOptions,
    sessions: SessionInfo[],
  ): Promise<ProxyHarness> {
    const dbName = o.dbName ?? `chunkwise-test-${++databases}-${crypto.randomUUID()}`;
    const storage = await openStorage('indexeddb', dbName);
    if (o.wrapChunks) storage.chunks = o.wrapChunks(storage.chunks);
    const upstream = o.upstream ?? fakeUpstream({ size: SIZE });
    const proxy = await StreamProxy.open(storage, {
      ...TEST_OPTIONS,
      ...o.options,
      fetch: upstream.fetch,
    });
    const harness = new ProxyHarness(proxy, storage, upstream, dbName, sessions);
    live.add(harness);
    return harness;
  }

  /** The cache key (and URL) of the fake's media. */
  get key(): string {
    return this.upstream.url;
  }

  /** A session on the fake's media. */
  async session(options?: SessionOptions): Promise<SessionInfo> {
    const session = await this.proxy.createSession(this.upstream.url, options);
    this.sessions.push(session);
    return session;
  }

  /** The proxy's response to a `method` request for `session` with `Range: range`. */
  request(session: SessionInfo, range: string | null, method = 'GET'): Promise<Response> {
    const headers = range === null ? undefined : { Range: range };
    return this.proxy.handle(new Request(`${PAGE}${session.url}`, { method, headers }), session.id);
  }

  /** Request and read the whole body (rejects if the body breaks). */
  async read(session: SessionInfo, range: string | null, method = 'GET'): Promise<Read> {
    const response = await this.request(session, range, method);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, bytes };
  }

  /** Request and read until the body ends or breaks. */
  async readSome(session: SessionInfo, range: string | null): Promise<PartialRead> {
    return readAll(await this.request(session, range));
  }

  stats(session: SessionInfo): Promise<SessionStats> {
    return this.proxy.stats(session.id);
  }

  /** Wait until no chunk download runs or waits for `session`'s media and the fake is quiet. */
  idle(session: SessionInfo): Promise<void> {
    return until(async () => {
      const { chunks } = await this.stats(session);
      return chunks.inFlight === 0 && chunks.queued === 0 && this.upstream.inFlight() === 0;
    }, 'chunk downloads idle');
  }

  /** Download `session`'s media for offline (a job of its own) and wait until the job ends. */
  async downloadForOffline(session: SessionInfo): Promise<{ state: string; storedChunks: number }> {
    let work: Promise<unknown> = Promise.resolve();
    await this.proxy.handleMessage(
      { type: 'download', target: { sessionId: session.id }, jobId: `job-${session.id}` },
      (w) => {
        work = w;
      },
    );
    return work as Promise<{ state: string; storedChunks: number }>;
  }

  /** Requests for chunk `index` (by their exact `Range`), in order. */
  requestsFor(index: number): RecordedRequest[] {
    return this.upstream.requests.filter((r) => chunkOf(r) === index);
  }

  /**
   * A worker restart: stop this proxy (downloads should be idle; sessions are kept) and open a
   * new one on the same database, reaching `upstream`.
   */
  async restart(upstream: FakeUpstream, o: Omit<ProxyHarnessOptions, 'dbName' | 'upstream'> = {}) {
    this.stop();
    return ProxyHarness.openWith({ ...o, upstream, dbName: this.dbName }, this.sessions);
  }

  /** Close every session (aborting its downloads), stop the proxy, close the database. */
  async release(): Promise<void> {
    if (this.released) return;
    for (const s of this.sessions) await this.proxy.closeSession(s.id).catch(() => undefined);
    this.stop();
  }

  private stop(): void {
    live.delete(this);
    if (this.released) return;
    this.released = true;
    this.proxy.release();
    this.storage.chunks.close();
  }
}

/** `Range` of chunk `index` of the `SIZE`-byte media. */
export function chunkRange(index: number): string {
  const start = index * CHUNK;
  return `bytes=${start}-${Math.min(start + CHUNK, SIZE) - 1}`;
}

/** The chunk a request asked for, or null when its range is not exactly one chunk. */
export function chunkOf(request: RecordedRequest): number | null {
  if (request.method !== 'GET' || request.range === null) return null;
  const m = /^bytes=(\d+)-(\d+)$/.exec(request.range);
  if (!m) return null;
  const index = Number(m[1]) / CHUNK;
  return Number.isInteger(index) && request.range === chunkRange(index) ? index : null;
}

/** Read `response` until its body ends or breaks. */
export async function readAll(response: Response): Promise<PartialRead> {
  const parts: Uint8Array[] = [];
  let error: unknown = null;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
      }
    } catch (e) {
      error = e;
    }
  }
  return { status: response.status, headers: response.headers, bytes: concat(parts), error };
}

// `parts` back to back: the contract suite's helper (that suite runs in browsers too).
export { concat };
