import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../../../src/shared/types.ts';
import type { MediaRegistry } from '../../../../src/sw/media/MediaRegistry.ts';
import { StatsBroadcaster } from '../../../../src/sw/stats/StatsBroadcaster.ts';

function session(id: string, cacheKey: string): SessionInfo {
  return {
    id,
    url: `/stream/${id}`,
    upstreamUrl: cacheKey,
    cacheKey,
    headers: {},
    chunkSize: 65536,
    concurrency: 1,
    prefetch: 0,
    createdAt: 0,
  };
}

describe('StatsBroadcaster: subscriptions stay bounded', () => {
  it('forgottenSessions_leaveNoKeysBehind', () => {
    const media = { peek: async () => null } as unknown as MediaRegistry;
    const broadcaster = new StatsBroadcaster(() => media, 'indexeddb');
    try {
      const a = session('a', 'k1');
      const b = session('b', 'k1');
      const c = session('c', 'k2');
      for (const s of [a, b, c, a]) broadcaster.remember(s);
      expect(broadcaster.size).toBe(3);
      for (const s of [a, b, c]) broadcaster.forget(s);
      expect(broadcaster.size).toBe(0);
      expect(broadcaster.keyCount).toBe(0);
    } finally {
      broadcaster.release();
    }
  });
});
