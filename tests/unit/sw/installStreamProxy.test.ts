/**
 * The worker glue's message listener in Node, on a fake `self`: what a page is told when a
 * request fails. A platform error reaches the page with its name as `code` (never the legacy
 * numeric `DOMException.code`), a proxy error with its code and details.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MethodCall as ClientRequest, Reply } from '../../../src/shared/methods.ts';
import { MediaCache } from '../../../src/sw/cache/MediaCache.ts';
import { createStreamProxy, type StreamProxyWorker } from '../../../src/sw/createStreamProxy.ts';
import { installStreamProxy } from '../../../src/sw/installStreamProxy.ts';

type Listener = (event: unknown) => void;
const listeners = new Map<string, Listener>();
let proxy: StreamProxyWorker;
let claims = 0;

beforeAll(async () => {
  vi.stubGlobal('self', {
    registration: { scope: 'https://app.test/' },
    location: { origin: 'https://app.test' },
    clients: { claim: async () => void claims++ },
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
  });
  proxy = installStreamProxy({ store: 'indexeddb' });
  await proxy.ready;
});

afterAll(async () => {
  await proxy.close();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Post `request` as a page does and resolve with the reply on its port. */
async function ask(request: ClientRequest): Promise<Reply> {
  const { port1, port2 } = new MessageChannel();
  const reply = new Promise<Reply>((resolve) => {
    port1.onmessage = (event) => resolve(event.data as Reply);
  });
  const work: Promise<unknown>[] = [];
  listeners.get('message')?.({
    data: { chunkwise: request },
    ports: [port2],
    waitUntil: (p: Promise<unknown>) => work.push(p),
  });
  try {
    return await reply;
  } finally {
    await Promise.all(work);
    port1.close();
    port2.close();
  }
}

describe('installStreamProxy: replies', () => {
  it.each<[string, DOMException]>([
    ['QuotaExceededError', new DOMException('The quota has been exceeded.', 'QuotaExceededError')],
    ['AbortError', new DOMException('aborted', 'AbortError')],
    ['InvalidStateError', new DOMException('closing', 'InvalidStateError')],
  ])('platformError %s_reachesThePageByName_notItsLegacyNumber', async (name, error) => {
    const spy = vi.spyOn(MediaCache.prototype, 'usage').mockRejectedValueOnce(error);
    try {
      const reply = await ask({ type: 'cacheUsage' });
      expect(reply).toMatchObject({ ok: false, error: { code: name, message: error.message } });
    } finally {
      spy.mockRestore();
    }
  });

  it('badOption_replyCarriesCodeAndDetails', async () => {
    const reply = await ask({
      type: 'createSession',
      url: 'https://cdn.test/film.mp4',
      options: { chunkSize: 1000 },
    });
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'bad-request',
        details: { field: 'chunkSize', min: 65536, max: 67108864 },
      },
    });
  });

  it('ownStreamUrl_refused_usingTheWorkersOrigin', async () => {
    const reply = await ask({
      type: 'createSession',
      url: 'https://app.test/stream/abc',
      options: {},
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('errorMessageUrls_queryStripped_unlessTheMessageAsks', async () => {
    const error = new TypeError('https://cdn.test/x.mp4?sig=SECRET: Failed to fetch');
    const spy = vi.spyOn(MediaCache.prototype, 'usage').mockRejectedValue(error);
    try {
      const hidden = await ask({ type: 'cacheUsage' });
      expect(JSON.stringify(hidden)).not.toContain('SECRET');
      const shown = await ask({ type: 'cacheUsage', revealUrls: true });
      expect(JSON.stringify(shown)).toContain('SECRET');
    } finally {
      spy.mockRestore();
    }
  });

  it('ping_claimsThePage_andAnswersPong', async () => {
    const before = claims;
    expect(await ask({ type: 'ping' })).toEqual({ ok: true, value: 'pong' });
    expect(claims).toBe(before + 1);
  });

  it('messageNotForTheProxy_leftAlone', async () => {
    const { port1, port2 } = new MessageChannel();
    const work: Promise<unknown>[] = [];
    listeners.get('message')?.({
      data: { other: 'library' },
      ports: [port2],
      waitUntil: (p: Promise<unknown>) => work.push(p),
    });
    expect(work).toEqual([]);
    port1.close();
    port2.close();
  });
});

describe('createStreamProxy: where it answers, and after close()', () => {
  it.each([
    ['the whole scope', '/'],
    ['no trailing slash', '/media'],
  ])('streamPrefix %s_refusedNamingTheField', (_, streamPrefix) => {
    expect(() => createStreamProxy({ streamPrefix })).toThrow(
      expect.objectContaining({ code: 'bad-request', details: { field: 'streamPrefix' } }),
    );
  });

  it('streamPrefix_resolvedAgainstTheScope', async () => {
    const other = createStreamProxy({ streamPrefix: 'media/', store: 'indexeddb' });
    expect(other.matches(new URL('https://app.test/media/abc'))).toBe(true);
    expect(other.matches(new URL('https://app.test/stream/abc'))).toBe(false);
    expect(other.matches(new URL('https://cdn.test/media/abc'))).toBe(false);
    await other.close();
  });

  it('closed_matchesNothing_andLeavesMessagesAlone', async () => {
    const other = createStreamProxy({ store: 'indexeddb' });
    await other.ready;
    const url = new URL('https://app.test/stream/abc');
    expect(other.matches(url)).toBe(true);
    await other.close();
    expect(other.matches(url)).toBe(false);
    const { port1, port2 } = new MessageChannel();
    const event = {
      data: { chunkwise: { type: 'ping' } },
      ports: [port2],
      waitUntil: () => undefined,
    };
    expect(other.handleMessage(event as never)).toBe(false);
    port1.close();
    port2.close();
  });
});
