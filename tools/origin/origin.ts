/**
 * The test/demo origin: an HTTP/1.1 server on Node's `http` module that plays the CDN or cloud
 * drive the proxy downloads from, with knobs for throttling and fault injection.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ConnLimiter } from './conn-limiter.ts';
import { HoldGate } from './hold-gate.ts';
import { IdleTracker } from './idle-tracker.ts';
import { KnobTable } from './knob-table.ts';
import type { Knobs } from './knobs.ts';
import type { LogEntry } from './log-entry.ts';
import { PathCounters } from './path-counters.ts';
import { sendText } from './plain-response.ts';
import { RateLimits } from './rate-limits.ts';
import { handleRequest, type OriginState } from './request-handler.ts';
import { type EntryMatcher, RequestWatchers } from './request-watchers.ts';

export interface Origin {
  /** e.g. http://127.0.0.1:39123 */
  url: string;
  port: number;
  /** Live array: appended on request arrival, entries updated in place when they end. */
  log: LogEntry[];
  clearLog(): void;
  /** Knobs for paths starting with prefix ('' = all); later calls for a prefix replace. */
  setKnobs(pathPrefix: string, knobs: Knobs): void;
  /** Back to the startup knobs; also resets the per-path request counters. */
  resetKnobs(): void;
  /** Resolves when no response is in progress. */
  whenIdle(): Promise<void>;
  /**
   * Let every response held by the `holdAfter` knob go on, and those reaching their hold point
   * later too, until `holdAfter` is set again.
   */
  releaseHeld(): void;
  /**
   * Resolves with the first log entry matching `match`, already logged or arriving later
   * (extension: lets tests act once a given request reached the origin, without polling).
   */
  whenRequest(match: EntryMatcher): Promise<LogEntry>;
  /** Closes the server and destroys open sockets. */
  close(): Promise<void>;
}

export interface OriginOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Directory served under /files/; default: the repository's media/ directory. */
  root?: string;
  /** Knobs for all paths (prefix ''); kept by resetKnobs(). */
  knobs?: Knobs;
}

export const DEFAULT_ROOT = fileURLToPath(new URL('../../media/', import.meta.url));

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export async function startOrigin(options: OriginOptions = {}): Promise<Origin> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const connIds = new WeakMap<Socket, number>();
  let connSeq = 0;
  let entrySeq = 0;
  const log: LogEntry[] = [];
  const knobTable = new KnobTable(options.knobs);
  const counters = new PathCounters();
  const idle = new IdleTracker();
  const watchers = new RequestWatchers();
  const holds = new HoldGate();

  const control = {
    log,
    // In place: holders of `origin.log` keep seeing the live log.
    clearLog: () => {
      log.length = 0;
    },
    setKnobs: (prefix: string, knobs: Knobs) => {
      knobTable.set(prefix, knobs);
      if (knobs.holdAfter !== undefined || knobs.holdHeaders) holds.arm();
    },
    resetKnobs: () => {
      knobTable.reset();
      counters.reset();
      holds.release();
    },
    whenIdle: () => idle.whenIdle(),
  };
  const state: OriginState = {
    root: options.root ?? DEFAULT_ROOT,
    log,
    knobTable,
    counters,
    limiter: new ConnLimiter(),
    rateLimits: new RateLimits(),
    idle,
    watchers,
    connIds,
    nextEntryId: () => ++entrySeq,
    control,
    holds,
  };

  const server = createServer((req, res) => {
    // A throttled write after the peer left must not crash the process.
    res.on('error', () => {});
    handleRequest(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `Internal Server Error: ${String(error)}`);
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    connIds.set(socket, ++connSeq);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, options.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    ...control,
    whenRequest: (match: EntryMatcher) => watchers.wait(log, match),
    releaseHeld: () => holds.release(),
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
