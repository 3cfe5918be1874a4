import { type SessionInfo, STATS_CHANNEL } from '../../shared/protocol.ts';
import type { Media } from '../media/Media.ts';
import type { MediaRegistry } from '../media/MediaRegistry.ts';
import type { SessionRegistry } from '../session/SessionRegistry.ts';
import type { StoreKind } from '../store/ChunkStore.ts';
import { collectStats } from './collectStats.ts';
import { StatsPublisher } from './StatsPublisher.ts';

/**
 * Pushes every session's stats to the pages on `STATS_CHANNEL` when its media changes,
 * coalesced (`StatsPublisher`). A media is shared by sessions, so one change is published once
 * per session that used it in this worker's life.
 */
export class StatsBroadcaster {
  private readonly sessionsByKey = new Map<string, Set<string>>();
  private readonly channel: BroadcastChannel | null =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel(STATS_CHANNEL) : null;
  private readonly publisher = new StatsPublisher((key) => void this.publish(key));

  constructor(
    private readonly sessions: SessionRegistry,
    private readonly media: () => MediaRegistry,
    private readonly store: StoreKind,
  ) {}

  /** Close the channel (the proxy is released). */
  release(): void {
    this.publisher.release();
    this.channel?.close();
  }

  /** Publish for `session` from now on. */
  remember(session: SessionInfo): void {
    const ids = this.sessionsByKey.get(session.cacheKey) ?? new Set<string>();
    this.sessionsByKey.set(session.cacheKey, ids);
    ids.add(session.id);
  }

  forget(session: SessionInfo): void {
    this.sessionsByKey.get(session.cacheKey)?.delete(session.id);
  }

  /** Publish whenever `runtime` changes. */
  watch(runtime: Media): void {
    runtime.counters.onChange(() => this.publisher.schedule(runtime.key));
  }

  private async publish(key: string): Promise<void> {
    const runtime = await this.media().peek(key);
    for (const id of this.sessionsByKey.get(key) ?? []) {
      const session = await this.sessions.get(id).catch(() => null);
      if (session) this.channel?.postMessage(collectStats(session, runtime, this.store));
    }
  }
}
