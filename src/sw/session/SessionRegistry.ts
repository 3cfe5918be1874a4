import type { SessionInfo, SessionOptions } from '../../shared/types.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import type { SessionStore, StoredSession } from '../store/SessionStore.ts';
import { checkSessionOptions } from './checkSessionOptions.ts';
import { checkUpstreamUrl, type OwnStreams } from './checkUpstreamUrl.ts';

export interface SessionDefaults {
  chunkSize: number;
  concurrency: number;
  prefetch: number;
}

export interface SessionRegistryOptions extends OwnStreams {
  /** Settings of a session whose page gave none (the worker's configuration, not checked). */
  defaults: SessionDefaults;
  /** A session unused for this long is gone (deleted when next seen, swept at open). */
  ttlMs: number;
  /** Told of every session forgotten: closed, expired, cleared. */
  onForget?: (session: SessionInfo) => void;
  now?: () => number;
}

/** A day: a session unused for longer is forgotten (a page playing it pings every 20 s). */
export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Sessions, persisted (`SessionStore`): Chromium stops idle workers and every global is lost, so a
 * `/stream/<id>` request after a restart finds its session here. A memory map spares the
 * database read on the hot path, and is the only place upstream headers live unless the page
 * asked to persist them (`persistHeaders`): a session read back from storage that had headers
 * kept in memory answers `session-credentials-lost`. A session expires `ttlMs` after its last
 * use; memory holds only sessions not expired, so it is bounded by what pages use.
 */
export class SessionRegistry {
  private readonly memory = new Map<string, { session: StoredSession; storedUse: number }>();
  private readonly now: () => number;
  private lastPrune: number;

  constructor(
    private readonly store: SessionStore,
    private readonly o: SessionRegistryOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.lastPrune = this.now();
  }

  /** Sessions held in memory (for the memory bound). */
  get size(): number {
    return this.memory.size;
  }

  async create(
    url: string,
    options: SessionOptions = {},
    flags: { revealUrls?: boolean } = {},
  ): Promise<SessionInfo> {
    this.prune();
    const session = this.draft(url, options);
    if (flags.revealUrls === true) session.revealUrls = true;
    await this.store.put(toStored(session));
    this.memory.set(session.id, { session, storedUse: session.createdAt });
    return session;
  }

  /** A session for `url`, `options` checked (else `bad-request`), defaults applied; not stored. */
  draft(url: string, options: SessionOptions = {}): SessionInfo {
    const upstream = checkUpstreamUrl(url, this.o);
    const checked = checkSessionOptions(options);
    const d = this.o.defaults;
    const id = crypto.randomUUID();
    const now = this.now();
    return {
      id,
      url: `${this.o.streamPrefix}${id}`,
      upstreamUrl: upstream.href,
      cacheKey: checked.cacheKey ?? upstream.href,
      headers: checked.headers,
      chunkSize: checked.chunkSize ?? d.chunkSize,
      concurrency: checked.concurrency ?? d.concurrency,
      prefetch: checked.prefetch ?? d.prefetch,
      createdAt: now,
      lastUsedAt: now,
      persistHeaders: checked.persistHeaders,
    };
  }

  /**
   * The session `id`, its use recorded. Rejects with `session-not-found` (404) when there is
   * none or it expired (then it is deleted), `session-credentials-lost` (401) when it comes back
   * from storage without the headers it was created with.
   */
  async get(id: string): Promise<SessionInfo> {
    const now = this.now();
    this.prune(now);
    const held = this.memory.get(id);
    let session = held?.session ?? (await this.store.get(id));
    if (!session) throw new ProxyError('session-not-found', { id });
    if (this.expired(session, now)) {
      await this.delete(id);
      throw new ProxyError('session-not-found', { id, expired: true }, 'The session expired.');
    }
    if (!held && (session.memoryOnlyHeaders?.length ?? 0) > 0) {
      throw new ProxyError('session-credentials-lost', {
        id,
        headers: session.memoryOnlyHeaders,
      });
    }
    session = { ...session, lastUsedAt: now };
    const entry = { session, storedUse: held?.storedUse ?? lastUse(session) };
    this.memory.set(id, entry);
    // Record the use in storage now and then (a restart must not expire a session in use),
    // not on every request: once per 1/24 of the lifetime, an hour by default.
    if (now - entry.storedUse >= this.o.ttlMs / 24) {
      entry.storedUse = now;
      await this.store.put(toStored(session));
    }
    return session;
  }

  /** Forget session `id`; returns it (or null when unknown). */
  async delete(id: string): Promise<SessionInfo | null> {
    const session = this.memory.get(id)?.session ?? (await this.store.get(id)) ?? null;
    this.memory.delete(id);
    await this.store.delete(id);
    if (session) this.o.onForget?.(session);
    return session;
  }

  /** Forget every session (the page cleared the cache). */
  async clear(): Promise<void> {
    const ids = new Set([...this.memory.keys(), ...(await this.store.list()).map((s) => s.id)]);
    for (const id of ids) await this.delete(id);
  }

  /**
   * At open: delete the sessions that expired while no worker ran, and rewrite the ones an
   * older version stored with their headers in plaintext though nobody asked it to.
   */
  async sweep(): Promise<{ expired: number; scrubbed: number }> {
    const now = this.now();
    let expired = 0;
    let scrubbed = 0;
    for (const session of await this.store.list()) {
      if (this.expired(session, now)) {
        await this.delete(session.id);
        expired++;
      } else if (session.persistHeaders !== true && Object.keys(session.headers).length > 0) {
        await this.store.put(toStored(session));
        scrubbed++;
      }
    }
    return { expired, scrubbed };
  }

  private expired(session: SessionInfo, now: number): boolean {
    return now - lastUse(session) > this.o.ttlMs;
  }

  /** Drop expired sessions from memory, at most once per minute (or per lifetime, if shorter). */
  private prune(now = this.now()): void {
    if (now - this.lastPrune < Math.min(this.o.ttlMs, 60_000)) return;
    this.lastPrune = now;
    for (const [id, { session }] of this.memory) {
      if (!this.expired(session, now)) continue;
      this.memory.delete(id);
      this.o.onForget?.(session);
      // (its stored record is deleted when next seen, or by the next sweep)
    }
  }
}

function lastUse(session: SessionInfo): number {
  return session.lastUsedAt ?? session.createdAt;
}

/** What is written to storage: headers only when the page asked to persist them. */
function toStored(session: SessionInfo): StoredSession {
  const names = Object.keys(session.headers);
  if (session.persistHeaders === true || names.length === 0) return session;
  return { ...session, headers: {}, memoryOnlyHeaders: names };
}
