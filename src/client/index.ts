/**
 * `chunkwise/client`: the page side. `registerStreamProxy()` registers the worker, waits until it
 * controls the page, and returns the client.
 */
export type { ClientErrorCode, ErrorCode, ProxyErrorCode } from '../shared/errorCodes.ts';
export type { DownloadTarget } from '../shared/methods.ts';
export type {
  CacheEntry,
  CacheUsage,
  ChunkCounts,
  DownloadOptions,
  DownloadProgress,
  Mode,
  SessionInfo,
  SessionOptions,
  SessionStats,
  StoredAs,
  StoreKind,
  StoreRepair,
  Validation,
} from '../shared/types.ts';
export { registerStreamProxy } from './registerStreamProxy.ts';
export type {
  CacheApi,
  DownloadHandle,
  RegisterOptions,
  StreamProxyClient,
} from './StreamProxyClient.ts';
export { StreamProxyError } from './StreamProxyError.ts';
