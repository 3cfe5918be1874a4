export type {
  CacheEntry,
  CacheUsage,
  DownloadOptions,
  DownloadProgress,
  SessionInfo,
  SessionOptions,
  SessionStats,
  StoreRepair,
} from '../shared/protocol.ts';
export {
  type CacheApi,
  type DownloadHandle,
  type RegisterOptions,
  registerStreamProxy,
  type StreamProxyClient,
  StreamProxyError,
} from './registerStreamProxy.ts';
