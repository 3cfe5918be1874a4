import { STATS_CHANNEL } from '../../shared/channels.ts';
import type { SessionInfo } from '../../shared/types.ts';
import { redactUrls } from '../http/redactUrls.ts';
import type { Media } from '../media/Media.ts';
import type { MediaRegistry } from '../media/MediaRegistry.ts';
import type { StoreKind } from '../store/ChunkStore.ts';
import { collectStats } from './collectStats.ts';
import { StatsPublisher } from './StatsPublisher.ts';

/**
 * Pushes every session's stats to the pages on `STATS_CHANNEL` when its media changes,
 * coalesced (`StatsPublisher`). A media is shared by sessions, so one change is published once
 * per session remembered on it; a session is forgotten when it closes or expires, so the
 * subscriptions follow the live sessions. Any page of the origin hears the channel: URLs lose
 * their query strings unless the session was created with `revealUrls`.
 */
export class StatsBroadcaster {
  private readonly sessionsByKey = new Map<string, Map<string, SessionInfo>>();
  private readonly channel: BroadcastChannel | null =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel(STATS_CHANNEL) : null;
  private readonly publisher = new StatsPublisher((key) => void this.publish(key));
  private released = false;

  constructor(
    private readonly media: () => MediaRegistry,
    private readonly store: StoreKind,
  ) {}

  /** Sessions remembered (for the memory bound). */
  get size(): number {
    let n = 0;
    for (const sessions of this.sessionsByKey.values()) n += sessions.size;
    return n;
  }

  /** Cache keys with a remembered session. */
  get keyCount(): number {
    return this.sessionsByKey.size;
  }

  /** Close the channel (the proxy is released). */
  release(): void {
    this.released = true;
    this.publisher.release();
    this.channel?.close();
  }

  /** Publish for `session` from now on. */
  remember(session: SessionInfo): void {
    const sessions = this.sessionsByKey.get(session.cacheKey) ?? new Map<string, SessionInfo>();
    this.sessionsByKey.set(session.cacheKey, sessions);
    sessions.set(session.id, session);
  }

  /** Stop publishing for `session` (closed, expired or cleared). */
  forget(session: SessionInfo): void {
    const sessions = this.sessionsByKey.get(session.cacheKey);
    sessions?.delete(session.id);
    if (sessions?.size === 0) this.sessionsByKey.delete(session.cacheKey);
  }

  /** Publish whenever `runtime` changes. */
  watch(runtime: Media): void {
    runtime.counters.onChange(() => this.publisher.schedule(runtime.key));
  }

  private async publish(key: string): Promise<void> {
    const runtime = await this.media().peek(key);
    if (this.released) return; // (released while peeking: the channel is closed)
    for (const session of this.sessionsByKey.get(key)?.values() ?? []) {
      const stats = collectStats(session, runtime, this.store);
      this.channel?.postMessage(session.revealUrls ? stats : redactUrls(stats));
    }
  }
}
