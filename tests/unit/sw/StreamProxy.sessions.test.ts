/**
 * Sessions as the page cannot see them: what is written to storage (no secrets unless asked),
 * how long a session lives (`sessionTtlMs` since last use), what leaves the worker (no query
 * strings unless asked), what memory stays bounded (sessions, stats subscriptions, idle media),
 * and when closing a session stops its media's downloads. The real proxy over fake-indexeddb;
 * time moves only where a test moves it (vitest fake `Date`, nothing waits on it).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STATS_CHANNEL } from '../../../src/shared/channels.ts';
import type { SessionStats } from '../../../src/shared/types.ts';
import { ProxyError } from '../../../src/sw/errors/ProxyError.ts';
import { expectBytes } from './support/expectBytes.ts';
import { fakeUpstream } from './support/fakeUpstream.ts';
import { gate } from './support/gate.ts';
import {
  chunkOf,
  concat,
  ProxyHarness as Harness,
  type ProxyHarness,
  readAll,
  releaseHarnesses,
  SIZE,
} from './support/proxyHarness.ts';
import { rejectionOf } from './support/rejectionOf.ts';
import { settled, until } from './support/until.ts';

async function open(...args: Parameters<typeof Harness.open>): Promise<ProxyHarness> {
  return Harness.open(...args);
}

async function restart(
  h: ProxyHarness,
  ...args: Parameters<ProxyHarness['restart']>
): Promise<ProxyHarness> {
  return h.restart(...args);
}

afterEach(async () => {
  vi.useRealTimers();
  await releaseHarnesses();
});

const SECRET = 'Bearer s3cret-token';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SIGNED = 'https://upstream.test/media.mp4?sig=SIGNATURE&expires=99';
const UNSIGNED = 'https://upstream.test/media.mp4';

/** Freeze `Date` (only `Date`: fake-indexeddb and the streams keep their real timers). */
function freezeDate(): (ms: number) => void {
  vi.useFakeTimers({ toFake: ['Date'] });
  const start = Date.UTC(2030, 0, 1);
  vi.setSystemTime(start);
  return (ms) => vi.setSystemTime(start + ms);
}

async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

function rejection(work: Promise<unknown>): Promise<ProxyError> {
  return rejectionOf(work, ProxyError);
}

describe('StreamProxy sessions: upstream headers are not stored unless asked', () => {
  it('headersByDefault_notInTheStore_stillSentUpstream', async () => {
    const h = await open();
    const session = await h.session({ headers: { Authorization: SECRET } });
    const stored = await h.storage.sessions.get(session.id);
    expect(JSON.stringify(stored)).not.toContain('s3cret');
    expect(stored?.headers).toEqual({});
    expect(session.headers).toEqual({ Authorization: SECRET });

    expect((await h.read(session, 'bytes=0-99')).status).toBe(206);
    expect(h.upstream.requests.every((r) => r.headers.authorization === SECRET)).toBe(true);
  });

  it('afterWorkerRestart_headersNotPersisted_401CredentialsLost', async () => {
    const h = await open();
    const session = await h.session({ headers: { Authorization: SECRET } });
    const h2 = await restart(h, fakeUpstream({ size: SIZE }));

    const response = await h2.read(session, null);
    expect(response.status).toBe(401);
    const body = JSON.parse(new TextDecoder().decode(response.bytes));
    expect(body).toMatchObject({ error: 'session-credentials-lost', id: session.id });
    expect(body.message).toMatch(/create/i);
    expect(JSON.stringify(body)).not.toContain('s3cret');
    expect(h2.upstream.requests).toEqual([]); // never asked without its credentials
    const error = await rejection(h2.proxy.handleMessage({ type: 'stats', id: session.id }));
    expect(error).toMatchObject({ code: 'session-credentials-lost', httpStatus: 401 });
  });

  it('persistHeadersTrue_storedAndSurvivesRestart', async () => {
    const h = await open();
    const session = await h.session({ headers: { Authorization: SECRET }, persistHeaders: true });
    expect((await h.storage.sessions.get(session.id))?.headers).toEqual({ Authorization: SECRET });
    const h2 = await restart(h, fakeUpstream({ size: SIZE }));

    const got = await h2.read(session, 'bytes=0-99');
    expect(got.status).toBe(206);
    expectBytes(got.bytes, h2.upstream.bytes(0, 99));
    expect(h2.upstream.requests[0]?.headers.authorization).toBe(SECRET);
  });

  it('sessionWithoutHeaders_survivesRestart', async () => {
    const h = await open();
    const session = await h.session();
    const h2 = await restart(h, fakeUpstream({ size: SIZE }));
    expect((await h2.read(session, 'bytes=0-99')).status).toBe(206);
  });

  it('legacyRecordWithPlaintextHeaders_scrubbedOnOpen_thenCredentialsLost', async () => {
    const h = await open();
    const session = await h.session();
    // A record as the previous version wrote it: headers in plaintext, no opt-in.
    await h.storage.sessions.put({ ...session, headers: { Authorization: SECRET } });
    const h2 = await restart(h, fakeUpstream({ size: SIZE }));
    expect(JSON.stringify(await h2.storage.sessions.list())).not.toContain('s3cret');
    expect((await h2.read(session, null)).status).toBe(401);
  });
});

describe('StreamProxy sessions: expiry (sessionTtlMs since last use)', () => {
  it('unusedForLongerThanTtl_404AndDeleted_usedOnesLive', async () => {
    const at = freezeDate();
    const h = await open({ options: { sessionTtlMs: HOUR } });
    const session = await h.session();
    expect((await h.read(session, 'bytes=0-9')).status).toBe(206);

    at(50 * MINUTE);
    expect((await h.read(session, 'bytes=0-9')).status).toBe(206);
    at(100 * MINUTE); // 50 minutes since last use
    expect((await h.read(session, 'bytes=0-9')).status).toBe(206);
    at(161 * MINUTE); // 61 minutes since last use
    const response = await h.request(session, 'bytes=0-9');
    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toMatchObject({ error: 'session-not-found', expired: true });
    expect(await h.storage.sessions.get(session.id)).toBeUndefined();
  });

  it('lastUseIsPersisted_soARestartKeepsARecentlyUsedSession', async () => {
    const at = freezeDate();
    const h = await open({ options: { sessionTtlMs: HOUR } });
    const session = await h.session();
    at(50 * MINUTE);
    expect((await h.read(session, 'bytes=0-9')).status).toBe(206);
    at(100 * MINUTE);
    const h2 = await restart(h, fakeUpstream({ size: SIZE }), { options: { sessionTtlMs: HOUR } });
    expect((await h2.read(session, 'bytes=0-9')).status).toBe(206);
  });

  it('expiredSessions_sweptFromTheStoreOnOpen', async () => {
    const at = freezeDate();
    const h = await open(); // default TTL: 24 h
    const old1 = await h.session();
    const old2 = await h.session();
    at(23 * HOUR);
    const recent = await h.session();
    at(25 * HOUR);
    const h2 = await restart(h, fakeUpstream({ size: SIZE }));
    expect((await h2.storage.sessions.list()).map((s) => s.id)).toEqual([recent.id]);
    expect([old1.id, old2.id]).not.toContain(recent.id);
  });

  it('cacheClear_removesSessionsToo', async () => {
    const h = await open();
    const session = await h.session();
    expect((await h.read(session, 'bytes=0-9')).status).toBe(206);
    await h.proxy.handleMessage({ type: 'cacheClear' });
    expect(await h.storage.sessions.list()).toEqual([]);
    expect((await h.read(session, 'bytes=0-9')).status).toBe(404);
    expect(h.proxy.footprint().sessions).toBe(0);
  });
});

describe('StreamProxy sessions: query strings stay in the worker unless the page asks', () => {
  function signedUpstream() {
    return fakeUpstream({ size: SIZE, url: SIGNED });
  }

  it('cacheList_queryStripped_revealUrlsShowsIt_deleteTakesTheListedKey', async () => {
    const h = await open({ upstream: signedUpstream() });
    const session = await h.session();
    await h.read(session, 'bytes=0-99');

    const list = await h.proxy.handleMessage({ type: 'cacheList' });
    expect(JSON.stringify(list)).not.toContain('SIGNATURE');
    expect(list).toMatchObject([{ key: UNSIGNED, url: UNSIGNED }]);
    const revealed = await h.proxy.handleMessage({ type: 'cacheList', revealUrls: true });
    expect(revealed).toMatchObject([{ key: SIGNED, url: SIGNED }]);

    expect(await h.proxy.handleMessage({ type: 'cacheDelete', key: UNSIGNED })).toBe(true);
    expect(h.proxy.cache.list()).toEqual([]);
  });

  it('statsReply_queryStripped_revealUrlsShowsIt', async () => {
    const h = await open({ upstream: signedUpstream() });
    const session = await h.session();
    const stats = (await h.proxy.handleMessage({ type: 'stats', id: session.id })) as SessionStats;
    expect(stats.cacheKey).toBe(UNSIGNED);
    const revealed = (await h.proxy.handleMessage({
      type: 'stats',
      id: session.id,
      revealUrls: true,
    })) as SessionStats;
    expect(revealed.cacheKey).toBe(SIGNED);
  });

  it('statsBroadcasts_queryStripped_unlessTheSessionWasCreatedWithRevealUrls', async () => {
    const h = await open({ upstream: signedUpstream() });
    let quiet = { id: '' };
    let loud = { id: '' };
    const heard: SessionStats[] = [];
    const channel = new BroadcastChannel(STATS_CHANNEL);
    let heardBoth: () => void = () => undefined;
    const done = (id: string) =>
      heard.some((s) => s.id === id && s.chunks.stored === s.chunks.total);
    channel.onmessage = (event: MessageEvent<SessionStats>) => {
      heard.push(event.data);
      if (done(quiet.id) && done(loud.id)) heardBoth();
    };
    // (pushes are coalesced by a 250 ms timer: wait for the pushes themselves, not for turns)
    const both = new Promise<void>((resolve) => {
      heardBoth = resolve;
    });
    try {
      const session = await h.session();
      quiet = session;
      loud = (await h.proxy.handleMessage({
        type: 'createSession',
        url: SIGNED,
        options: {},
        revealUrls: true,
      })) as { id: string };
      await h.read(session, null);
      await both;
      const mine = heard.filter((s) => s.id === quiet.id);
      expect(JSON.stringify(mine)).not.toContain('SIGNATURE');
      expect(mine.every((s) => s.cacheKey === UNSIGNED)).toBe(true);
      expect(heard.filter((s) => s.id === loud.id).every((s) => s.cacheKey === SIGNED)).toBe(true);
      await h.proxy.closeSession(loud.id);
    } finally {
      channel.close();
    }
  });

  it('jsonErrorBody_queryStripped_unlessTheSessionWasCreatedWithRevealUrls', async () => {
    const up = signedUpstream().fault({ status: 403 });
    const h = await open({ upstream: up });
    const session = await h.session();
    const response = await h.request(session, 'bytes=0-');
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).not.toContain('SIGNATURE');
    expect(JSON.parse(text).message).toContain(UNSIGNED);

    const revealing = (await h.proxy.handleMessage({
      type: 'createSession',
      url: SIGNED,
      options: {},
      revealUrls: true,
    })) as { id: string; url: string };
    const revealed = await h.proxy.handle(
      new Request(`https://app.test${revealing.url}`),
      revealing.id,
    );
    expect(await revealed.text()).toContain('SIGNATURE');
    await h.proxy.closeSession(revealing.id);
  });

  it('createSessionReply_keepsTheFullUrl_forThePageThatMadeIt', async () => {
    const h = await open({ upstream: signedUpstream() });
    const session = await h.proxy.handleMessage({
      type: 'createSession',
      url: SIGNED,
      options: {},
    });
    expect(session).toMatchObject({ upstreamUrl: SIGNED, cacheKey: SIGNED });
  });
});

describe('StreamProxy sessions: closeSession stops downloads only nobody live uses', () => {
  it('oldPersistedSessionOnTheSameKey_doesNotKeepDownloadsRunning', async () => {
    // Chunks 0-2 arrive; chunks from 3 on stall for good once they started.
    const stalling = () =>
      fakeUpstream({ size: SIZE }).fault(
        { stallAfter: { bytes: 100, until: 'never' } },
        (r) => (chunkOf(r) ?? -1) >= 3,
      );
    const h = await open({ upstream: stalling() });
    await h.session(); // yesterday's session on the same media: in the store, never read since
    const up = stalling();
    const h2 = await restart(h, up);
    const reading = await h2.session();
    const response = await h2.request(reading, 'bytes=0-');
    await until(() => [3, 4, 5].every((i) => h2.requestsFor(i).length === 1), 'chunks 3-5 asked');
    await Promise.all([3, 4, 5].map((i) => h2.requestsFor(i)[0]?.stalled));

    await h2.proxy.closeSession(reading.id);

    for (const i of [3, 4, 5]) expect(h2.requestsFor(i)[0]).toMatchObject({ aborted: true });
    expect(up.inFlight()).toBe(0);
    expect((await readAll(response)).error).not.toBeNull();
  });

  it('anotherLiveReader_keepsDownloadsRunning', async () => {
    const body = gate();
    const up = fakeUpstream({ size: SIZE }).fault(
      { stallAfter: { bytes: 100, until: body.promise } },
      (r) => chunkOf(r) === 1,
    );
    const h = await open({ upstream: up });
    const reading = await h.session({ prefetch: 2 });
    const leaving = await h.session();
    await h.read(leaving, 'bytes=0-9'); // it read, and its reader ended
    const response = await h.request(reading, 'bytes=0-');
    await until(() => h.requestsFor(1).length === 1, 'chunk 1 requested');
    await h.requestsFor(1)[0]?.stalled;

    await h.proxy.closeSession(leaving.id);
    expect(h.requestsFor(1)[0]?.aborted).toBe(false);
    body.open();
    expectBytes((await readAll(response)).bytes, up.bytes(0, SIZE - 1));
  });
});

describe('StreamProxy sessions: a request retried after a content change', () => {
  it('retriedBodyStreaming_otherSessionCloses_bodyCompletes', async () => {
    const up = fakeUpstream({ size: SIZE });
    const h = await open({ upstream: up });
    const x = await h.session({ prefetch: 0 });
    const y = await h.session({ prefetch: 0 });
    await h.read(x, 'bytes=0-99');
    await h.idle(x);
    up.changeFrom(up.requests.length, {}); // new bytes and ETag, same size

    // Y's first attempt meets the change before sending a byte; the retry, on a fresh media,
    // streams the new content and is a use of that media of its own.
    const response = await h.request(y, 'bytes=3000-5999');
    expect(response.status).toBe(206);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await h.proxy.closeSession(x.id); // X reads nothing now: only Y's body uses the media

    const parts = [first.value as Uint8Array];
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      parts.push(next.value);
    }
    expectBytes(concat(parts), up.bytes(3000, 5999, 1));
  });
});

describe('StreamProxy sessions: bounded memory', () => {
  it('closedSessions_leaveNoSessionsSubscriptionsOrReaders', async () => {
    const h = await open();
    const sessions = [await h.session(), await h.session(), await h.session()];
    for (const s of sessions) await h.read(s, null);
    expect(h.proxy.footprint()).toMatchObject({ sessions: 3, statsSessions: 3, mediaUsers: 0 });
    for (const s of sessions) await h.proxy.closeSession(s.id);
    expect(h.proxy.footprint()).toEqual({ sessions: 0, statsSessions: 0, mediaUsers: 0 });
  });

  it('expiredSessions_neverClosed_prunedFromMemory', async () => {
    const at = freezeDate();
    const h = await open({ options: { sessionTtlMs: HOUR } });
    for (let i = 0; i < 3; i++) await h.read(await h.session(), 'bytes=0-9');
    at(2 * HOUR);
    await h.session(); // any later use of the registry prunes what expired
    expect(h.proxy.footprint()).toMatchObject({ sessions: 1, statsSessions: 1 });
  });

  it('idleMedia_closedAfterLastReaderAndDownloadsEnd_nextReadProbesAgain', async () => {
    const h = await open({ options: { mediaIdleMs: 0 } });
    const session = await h.session();
    await h.read(session, null);
    await until(async () => (await h.stats(session)).mode === 'unknown', 'idle media closed');

    const probes = () => h.upstream.requests.filter((r) => r.range === 'bytes=0-0').length;
    const before = probes();
    const got = await h.read(session, 'bytes=100-199');
    expectBytes(got.bytes, h.upstream.bytes(100, 199));
    expect(probes()).toBe(before + 1);
  });

  it('mediaWithALiveReader_neverClosedAsIdle', async () => {
    const body = gate();
    const up = fakeUpstream({ size: SIZE }).fault(
      { stallAfter: { bytes: 100, until: body.promise } },
      (r) => chunkOf(r) === 1,
    );
    const h = await open({ upstream: up, options: { mediaIdleMs: 0 } });
    const session = await h.session({ prefetch: 0 });
    const reading = h.request(session, 'bytes=0-').then(readAll);
    await until(() => h.requestsFor(1).length === 1, 'chunk 1 requested');
    await h.requestsFor(1)[0]?.stalled;
    await settled(() => `${up.requests.length}/${up.inFlight()}`);
    expect((await h.stats(session)).mode).toBe('parallel');

    body.open();
    expectBytes((await reading).bytes, up.bytes(0, SIZE - 1));
    await until(async () => (await h.stats(session)).mode === 'unknown', 'closed once idle');
  });
});
