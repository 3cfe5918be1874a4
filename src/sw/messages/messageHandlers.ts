import type { MethodHandlers } from '../../shared/methods.ts';
import type { SessionInfo, SessionOptions, SessionStats } from '../../shared/types.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import { redactUrls } from '../http/redactUrls.ts';
import { resolveRedactedKey } from '../http/resolveRedactedKey.ts';
import type { DownloadManager } from '../offline/DownloadManager.ts';
import { checkInteger } from '../session/checkInteger.ts';
import type { SessionRegistry } from '../session/SessionRegistry.ts';
import { SESSION_LIMITS } from '../session/sessionLimits.ts';
import type { SettingsStore } from '../store/SettingsStore.ts';

/** What the page's calls act on: the proxy's parts, as `StreamProxy` wires them. */
export interface MessageTargets {
  cache: MediaCache;
  sessions: SessionRegistry;
  settings: SettingsStore;
  downloads: DownloadManager;
  createSession(
    url: string,
    options?: SessionOptions,
    flags?: { revealUrls?: boolean },
  ): Promise<SessionInfo>;
  closeSession(id: string): Promise<void>;
  stats(id: string): Promise<SessionStats>;
  /** A download for offline of `session`'s media finished: close the media once idle. */
  downloadEnded(session: SessionInfo): void;
}

/** What the dispatcher gives each handler with its parameters. */
export interface CallContext {
  /** The page asked for full URLs (`revealUrls`); otherwise query strings are stripped. */
  reveal: boolean;
  /** Keep the worker alive for work that outlives the reply (a download for offline). */
  extend(work: Promise<unknown>): void;
}

/** What only the worker's global scope can do. */
export interface WorkerHooks {
  /** Take control of uncontrolled pages (`clients.claim()`). */
  claim(): Promise<void>;
}

/**
 * One handler per method of `ProxyMethods` (a missing one fails to compile). `targets` opens
 * the proxy on first need: `ping` answers (and claims the page) even when storage cannot open.
 * Any page of the origin may call, so URLs lose their query strings unless it asks for them.
 */
export function createMessageHandlers(
  targets: () => Promise<MessageTargets>,
  worker: WorkerHooks,
): MethodHandlers<CallContext> {
  /** The cache key a page means: as stored, or as `cache.list()` showed it (query stripped). */
  const storedKey = (t: MessageTargets, given: string) =>
    resolveRedactedKey(
      given,
      t.cache.list().map((entry) => entry.key),
    );
  return {
    ping: async () => {
      await worker.claim();
      return 'pong' as const;
    },
    createSession: async ({ url, options }, { reveal }) =>
      (await targets()).createSession(url, options, { revealUrls: reveal }),
    closeSession: async ({ id }) => {
      await (await targets()).closeSession(id);
    },
    stats: async ({ id }, { reveal }) => {
      const stats = await (await targets()).stats(id);
      return reveal ? stats : redactUrls(stats);
    },
    cacheList: async (_, { reveal }) => {
      const list = (await targets()).cache.list();
      return reveal ? list : redactUrls(list);
    },
    cacheUsage: async () => (await targets()).cache.usage(),
    cacheDelete: async ({ key }) => {
      const t = await targets();
      return t.cache.delete(storedKey(t, key));
    },
    cacheClear: async () => {
      const t = await targets();
      await t.cache.clear();
      await t.sessions.clear();
    },
    cacheVerify: async () => (await targets()).cache.verify(),
    setBudget: async ({ bytes }) => {
      const t = await targets();
      const budget = checkInteger('bytes', bytes, SESSION_LIMITS.budget);
      await t.settings.set('budget', budget);
      await t.cache.setBudget(budget);
      return t.cache.usage();
    },
    download: async ({ target, options, jobId }, { extend }) => {
      const t = await targets();
      const session =
        'url' in target
          ? t.sessions.draft(target.url, options)
          : await t.sessions.get(target.sessionId);
      const { job, progress } = await t.downloads.start(session, jobId);
      extend(job.done);
      const after = () => t.downloadEnded(session);
      job.done.then(after, after);
      return progress;
    },
    cancelDownload: async ({ jobId }) => {
      (await targets()).downloads.cancel(jobId);
    },
    unpin: async ({ key }) => {
      const t = await targets();
      await t.downloads.unpin(storedKey(t, key));
    },
  };
}
