/**
 * The calls a page makes to the worker, as one method map: each method's parameters and result.
 * The client's calls, the worker's handler object and the wire messages are all derived from it
 * (as `idb` derives every store's types from its `DBSchema`), so a method added here without a
 * handler or with a mismatched result fails to compile on both sides.
 */
import type { ErrorCode } from './errorCodes.ts';
import type {
  CacheEntry,
  CacheUsage,
  DownloadOptions,
  DownloadProgress,
  SessionInfo,
  SessionOptions,
  SessionStats,
  StoreRepair,
} from './types.ts';

/** What a download for offline fetches: a URL (with options), or an existing session's media. */
export type DownloadTarget = { url: string } | { sessionId: string };

/** A method that takes no parameters. */
export type NoParams = Record<never, never>;

export interface ProxyMethods {
  createSession: { params: { url: string; options?: SessionOptions }; result: SessionInfo };
  closeSession: { params: { id: string }; result: undefined };
  stats: { params: { id: string }; result: SessionStats };
  /** Also asks the worker to control the page that sent it (after a hard reload). */
  ping: { params: NoParams; result: 'pong' };
  cacheList: { params: NoParams; result: CacheEntry[] };
  cacheUsage: { params: NoParams; result: CacheUsage };
  cacheDelete: { params: { key: string }; result: boolean };
  cacheClear: { params: NoParams; result: undefined };
  cacheVerify: { params: NoParams; result: StoreRepair };
  setBudget: { params: { bytes: number }; result: CacheUsage };
  download: {
    params: { target: DownloadTarget; options?: DownloadOptions; jobId: string };
    result: DownloadProgress;
  };
  cancelDownload: { params: { jobId: string }; result: undefined };
  unpin: { params: { key: string }; result: undefined };
}

export type MethodName = keyof ProxyMethods;
export type Params<M extends MethodName> = ProxyMethods[M]['params'];
export type Result<M extends MethodName> = ProxyMethods[M]['result'];

/** Flags any call may carry. */
export interface CallFlags {
  /**
   * Keep query strings (signed URLs) in what the worker answers: stats, `cache.list()`, error
   * messages. Without it they are stripped: `https://cdn/film.mp4?sig=…` is reported as
   * `https://cdn/film.mp4`. On `createSession`, the session's stats broadcasts and error bodies
   * keep them too.
   */
  revealUrls?: boolean;
}

/** One call on the wire: `{ type: method, ...params, ...flags }`, posted as `{ chunkwise: call }`. */
export type MethodCall<M extends MethodName = MethodName> = {
  [K in M]: { type: K } & Params<K> & CallFlags;
}[M];

/** Why a call failed, as the page receives it. */
export interface ReplyError {
  code: ErrorCode;
  message: string;
  /** The error's name (`ProxyError`, `QuotaExceededError`, `TypeError`…). */
  name?: string;
  /** A proxy error's details, e.g. `{ field: 'chunkSize', min: 65536, max: 67108864 }`. */
  details?: Record<string, unknown>;
}

/** The answer to a call, posted on the MessagePort sent with it. */
export type Reply<M extends MethodName = MethodName> =
  | { ok: true; value: Result<M> }
  | { ok: false; error: ReplyError };

/**
 * The worker's side: one handler per method (a missing one fails to compile). `Context` is what
 * the dispatcher passes every handler (the call's flags, a way to extend the worker's life).
 */
export type MethodHandlers<Context> = {
  [M in MethodName]: (params: Params<M>, context: Context) => Promise<Result<M>> | Result<M>;
};
