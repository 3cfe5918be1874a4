import { DOWNLOAD_CHANNEL, STATS_CHANNEL } from '../shared/channels.ts';
import type { DownloadProgress, SessionStats } from '../shared/types.ts';
import { checkTimeout } from './checkTimeout.ts';
import { keepAlive } from './keepAlive.ts';
import { resolveUrl } from './resolveUrl.ts';
import { createRpc } from './rpc.ts';
import type { DownloadHandle, RegisterOptions, StreamProxyClient } from './StreamProxyClient.ts';
import { StreamProxyError } from './StreamProxyError.ts';

/** The client object of a registration: calls (`rpc.ts`) plus the worker's two broadcasts. */
export function createClient(
  registration: ServiceWorkerRegistration,
  options: RegisterOptions,
): StreamProxyClient {
  let open = true;
  const { call } = createRpc({
    registration,
    timeoutMs: checkTimeout('callTimeoutMs', options.callTimeoutMs, 30_000),
    flags: options.revealUrls === true ? { revealUrls: true } : {},
    isOpen: () => open,
  });
  const stats = new BroadcastChannel(STATS_CHANNEL);
  const downloads = new BroadcastChannel(DOWNLOAD_CHANNEL);
  const stopKeepAlives = new Set<() => void>();
  /** What `close()` ends: the `finished` of each download still running. */
  const unfinished = new Set<(error: StreamProxyError) => void>();
  const onDownload = (jobId: string, listener: (p: DownloadProgress) => void) => {
    const handler = (event: MessageEvent<DownloadProgress>) => {
      if (event.data.jobId === jobId) listener(event.data);
    };
    downloads.addEventListener('message', handler);
    return () => downloads.removeEventListener('message', handler);
  };

  const download: StreamProxyClient['download'] = async (target, downloadOptions = {}) => {
    const resolved = 'url' in target ? { url: resolveUrl('url', target.url) } : target;
    // Listen before asking: a download with nothing missing ends before the reply arrives.
    const jobId = crypto.randomUUID();
    let end: (p: DownloadProgress) => void = () => undefined;
    let fail: (error: StreamProxyError) => void = () => undefined;
    const finished = new Promise<DownloadProgress>((resolve, reject) => {
      end = (p) => {
        unfinished.delete(fail);
        resolve(p);
      };
      fail = reject;
    });
    finished.catch(() => undefined); // a caller that never awaits it is not an unhandled error
    unfinished.add(fail);
    const stop = onDownload(jobId, (p) => {
      if (p.state === 'running') return;
      stop();
      end(p);
    });
    let initial: DownloadProgress;
    try {
      initial = await call('download', { target: resolved, options: downloadOptions, jobId });
    } catch (error) {
      stop();
      unfinished.delete(fail);
      throw error;
    }
    if (initial.state !== 'running') {
      stop();
      end(initial);
    }
    return {
      jobId: initial.jobId,
      key: initial.key,
      initial,
      finished,
      onProgress: (listener) => onDownload(initial.jobId, listener),
      cancel: () => call('cancelDownload', { jobId: initial.jobId }),
    } satisfies DownloadHandle;
  };

  return {
    registration,
    cache: {
      list: () => call('cacheList', {}),
      usage: () => call('cacheUsage', {}),
      delete: (key) => call('cacheDelete', { key }),
      clear: () => call('cacheClear', {}),
      verify: () => call('cacheVerify', {}),
      setBudget: (bytes) => call('setBudget', { bytes }),
    },
    download,
    unpin: (key) => call('unpin', { key }),
    ping: () => call('ping', {}),
    createSession: async (url, sessionOptions = {}) =>
      call('createSession', { url: resolveUrl('url', url), options: sessionOptions }),
    closeSession: (id) => call('closeSession', { id }),
    stats: (id) => call('stats', { id }),
    onStats(listener) {
      const handler = (event: MessageEvent<SessionStats>) => listener(event.data);
      stats.addEventListener('message', handler);
      return () => stats.removeEventListener('message', handler);
    },
    keepAlive(media) {
      const stop = keepAlive(media, () => call('ping', {}));
      const stopAndForget = () => {
        stop();
        stopKeepAlives.delete(stopAndForget);
      };
      stopKeepAlives.add(stopAndForget);
      return stopAndForget;
    },
    close() {
      open = false;
      const closed = new StreamProxyError('closed', 'The client was closed.');
      for (const fail of [...unfinished]) fail(closed);
      unfinished.clear();
      for (const stop of [...stopKeepAlives]) stop();
      stats.close();
      downloads.close();
    },
  };
}
