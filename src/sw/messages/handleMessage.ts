import type {
  Request as ClientRequest,
  SessionInfo,
  SessionOptions,
  SessionStats,
} from '../../shared/protocol.ts';
import type { MediaCache } from '../cache/MediaCache.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import { redactUrls } from '../http/redactUrls.ts';
import { resolveRedactedKey } from '../http/resolveRedactedKey.ts';
import type { DownloadManager } from '../offline/DownloadManager.ts';
import { checkInteger } from '../session/checkInteger.ts';
import { checkRequest } from '../session/checkRequest.ts';
import type { SessionRegistry } from '../session/SessionRegistry.ts';
import { SESSION_LIMITS } from '../session/sessionLimits.ts';
import type { SettingsStore } from '../store/SettingsStore.ts';

/** What the page's messages act on: the proxy's parts, as `StreamProxy` wires them. */
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

/**
 * Answer one page request (see `src/shared/protocol.ts`), checked first (`checkRequest`). Any
 * page of the origin may ask, so URLs lose their query strings unless it asks for them
 * (`revealUrls`). `extend` keeps the worker alive for work that outlives the reply.
 */
export async function handleMessage(
  t: MessageTargets,
  raw: ClientRequest,
  extend: (work: Promise<unknown>) => void,
): Promise<unknown> {
  const message = checkRequest(raw);
  const reveal = message.revealUrls === true;
  /** The cache key a page means: as stored, or as `cache.list()` showed it (query stripped). */
  const storedKey = (given: string) =>
    resolveRedactedKey(
      given,
      t.cache.list().map((entry) => entry.key),
    );
  switch (message.type) {
    case 'createSession':
      return t.createSession(message.url, message.options, { revealUrls: reveal });
    case 'closeSession':
      return t.closeSession(message.id);
    case 'stats': {
      const stats = await t.stats(message.id);
      return reveal ? stats : redactUrls(stats);
    }
    case 'ping':
      return 'pong';
    case 'cacheList':
      return reveal ? t.cache.list() : redactUrls(t.cache.list());
    case 'cacheUsage':
      return t.cache.usage();
    case 'cacheDelete':
      return t.cache.delete(storedKey(message.key));
    case 'cacheClear':
      await t.cache.clear();
      await t.sessions.clear();
      return;
    case 'cacheVerify':
      return t.cache.verify();
    case 'setBudget': {
      const bytes = checkInteger('bytes', message.bytes, SESSION_LIMITS.budget);
      await t.settings.set('budget', bytes);
      await t.cache.setBudget(bytes);
      return t.cache.usage();
    }
    case 'download': {
      const target = message.target;
      const session = target.includes('://')
        ? t.sessions.draft(target, message.options)
        : await t.sessions.get(target);
      const { job, progress } = await t.downloads.start(session, message.jobId);
      extend(job.done);
      const after = () => t.downloadEnded(session);
      job.done.then(after, after);
      return progress;
    }
    case 'cancelDownload':
      return t.downloads.cancel(message.jobId);
    case 'unpin':
      return t.downloads.unpin(storedKey(message.key));
    default:
      throw new ProxyError(
        'bad-request',
        {},
        `Unknown message type ${(message as { type: string }).type}.`,
      );
  }
}
