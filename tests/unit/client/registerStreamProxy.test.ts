/**
 * The page client in Node, against a fake `navigator.serviceWorker` whose worker answers (or
 * does not) on the MessagePort each call sends. Asserts what the page is told, and when: a call
 * to a worker that never answers rejects after the call timeout (fake timers), never hangs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  registerStreamProxy,
  type StreamProxyClient,
  StreamProxyError,
} from '../../../src/client/index.ts';
import type { MethodCall as ClientRequest, Reply } from '../../../src/shared/methods.ts';

/** How the fake worker treats one request: reply on `port`, or do nothing (a dead worker). */
type Worker = (request: ClientRequest, port: MessagePort) => void;

let worker: Worker;
let lastPort1: MessagePort | null;
const openPorts: MessagePort[] = [];

beforeEach(() => {
  worker = () => undefined;
  lastPort1 = null;
  const controller = {
    scriptURL: 'https://app.test/sw.js',
    postMessage: (data: { chunkwise: ClientRequest }, transfer: MessagePort[]) => {
      const port = transfer[0] as MessagePort;
      openPorts.push(port);
      worker(data.chunkwise, port);
    },
  };
  const registration = { active: controller };
  vi.stubGlobal('navigator', {
    serviceWorker: {
      register: async () => registration,
      ready: Promise.resolve(registration),
      controller,
      addEventListener: () => undefined,
    },
  });
  vi.stubGlobal('location', { href: 'https://app.test/' });
  const Real = globalThis.MessageChannel;
  vi.stubGlobal(
    'MessageChannel',
    class extends Real {
      constructor() {
        super();
        lastPort1 = this.port1;
        openPorts.push(this.port1);
      }
    },
  );
});

afterEach(() => {
  vi.useRealTimers();
  for (const port of openPorts.splice(0)) port.close();
  vi.unstubAllGlobals();
});

function reply(port: MessagePort, message: Reply | Record<string, unknown>): void {
  port.postMessage(message);
}

/** `'pending'` when `promise` has not settled yet, else its value or its error's code. */
async function state(promise: Promise<unknown>): Promise<unknown> {
  const marked = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ code: (error as StreamProxyError).code, error }),
  );
  return Promise.race([marked, new Promise((resolve) => setImmediate(() => resolve('pending')))]);
}

describe('registerStreamProxy: call() never hangs the page', () => {
  let client: StreamProxyClient;

  it('workerNeverAnswers_rejectsWorkerTimeout_afterCallTimeoutMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    client = await registerStreamProxy({ callTimeoutMs: 5_000 });
    const call = client.stats('some-id');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(await state(call)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const outcome = (await state(call)) as { code: string; error: StreamProxyError };
    expect(outcome.code).toBe('worker-timeout');
    expect(outcome.error).toBeInstanceOf(StreamProxyError);
    expect(outcome.error.message).toMatch(/stats/);
  });

  it('workerNeverAnswers_defaultTimeout30s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    client = await registerStreamProxy();
    const call = client.cache.usage();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(await state(call)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(await state(call)).toMatchObject({ code: 'worker-timeout' });
  });

  it('replyCannotBeDeserialized_rejectsMessageError', async () => {
    worker = () => lastPort1?.dispatchEvent(new MessageEvent('messageerror'));
    client = await registerStreamProxy();
    expect(await state(client.cache.list())).toMatchObject({ code: 'message-error' });
  });

  it('answered_resolves_andLeavesNoTimerRunning', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    worker = (_, port) => reply(port, { ok: true, value: 'pong' });
    client = await registerStreamProxy();
    const answer = client.cache.usage();
    await vi.waitFor(async () => expect(await state(answer)).toEqual({ value: 'pong' }));
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('registerStreamProxy: errors reach the page by name, with details', () => {
  it('legacyNumericCode_pageSeesTheErrorName', async () => {
    worker = (_, port) =>
      reply(port, { ok: false, error: { code: 22, name: 'QuotaExceededError', message: 'full' } });
    const client = await registerStreamProxy();
    const outcome = (await vi.waitFor(async () => {
      const s = await state(client.cache.clear());
      if (s === 'pending') throw new Error('pending');
      return s;
    })) as { code: string; error: StreamProxyError };
    expect(outcome.code).toBe('QuotaExceededError');
    expect(outcome.error.message).toBe('full');
  });

  it('badRequest_detailsReachThePage', async () => {
    const details = { field: 'chunkSize', min: 65536, max: 67108864 };
    worker = (_, port) =>
      reply(port, { ok: false, error: { code: 'bad-request', message: 'no', details } });
    const client = await registerStreamProxy();
    const error = await client.createSession('https://cdn.test/x.mp4', { chunkSize: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamProxyError);
    expect(error).toMatchObject({ code: 'bad-request', details });
  });
});

describe('registerStreamProxy: revealUrls', () => {
  it.each<[string, boolean | undefined, boolean]>([
    ['default', undefined, false],
    ['asked', true, true],
  ])('%s_flagSentWithEveryRequest', async (_, revealUrls, sent) => {
    const seen: ClientRequest[] = [];
    worker = (request, port) => {
      seen.push(request);
      reply(port, { ok: true, value: [] });
    };
    const client = await registerStreamProxy({ revealUrls });
    await client.cache.list();
    await client.stats('x');
    expect(seen.map((r) => r.revealUrls === true)).toEqual([sent, sent]);
  });
});

describe('registerStreamProxy: close() and download targets', () => {
  it('closed_callsRejectClosed_andNothingIsPosted', async () => {
    const seen: ClientRequest[] = [];
    worker = (request, port) => {
      seen.push(request);
      reply(port, { ok: true, value: [] });
    };
    const client = await registerStreamProxy();
    await client.cache.list();
    client.close();
    expect(await state(client.cache.list())).toMatchObject({ code: 'closed' });
    expect(seen.map((r) => r.type)).toEqual(['cacheList']);
  });

  it.each<[string, Parameters<StreamProxyClient['download']>[0], unknown]>([
    ['relativeUrl_sentAbsolute', { url: '/media/a.mp4' }, { url: 'https://app.test/media/a.mp4' }],
    ['sessionId_sentAsIs', { sessionId: 's-1' }, { sessionId: 's-1' }],
  ])('download %s', async (_, target, sent) => {
    const seen: ClientRequest[] = [];
    worker = (request, port) => {
      seen.push(request);
      const jobId = (request as { jobId: string }).jobId;
      reply(port, { ok: true, value: { jobId, key: 'k', state: 'done' } });
    };
    const client = await registerStreamProxy();
    const job = await client.download(target);
    expect(seen[0]).toMatchObject({ type: 'download', target: sent });
    expect((await job.finished).state).toBe('done');
    client.close();
  });
});

describe('registerStreamProxy: every failure is a typed StreamProxyError', () => {
  it.each<[string, Record<string, number>, string]>([
    ['callTimeoutMs Infinity', { callTimeoutMs: Number.POSITIVE_INFINITY }, 'callTimeoutMs'],
    ['callTimeoutMs 2^31', { callTimeoutMs: 2 ** 31 }, 'callTimeoutMs'],
    ['controlTimeoutMs 0', { controlTimeoutMs: 0 }, 'controlTimeoutMs'],
  ])('%s_badArgumentBeforeRegistering', async (_, options, field) => {
    const error = await registerStreamProxy(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamProxyError);
    expect(error).toMatchObject({ code: 'bad-argument', details: { field, min: 1 } });
  });

  it('browserRefusesRegistration_registrationFailed', async () => {
    const sw = (navigator as unknown as { serviceWorker: Record<string, unknown> }).serviceWorker;
    sw.register = async () => {
      throw new DOMException('bad scope', 'SecurityError');
    };
    const error = await registerStreamProxy().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'registration-failed',
      details: { name: 'SecurityError' },
    });
  });

  it('createSessionOfNoUrl_badArgument_nothingSent', async () => {
    const seen: ClientRequest[] = [];
    worker = (request) => seen.push(request);
    const client = await registerStreamProxy();
    const error = await client.createSession('http://[').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'bad-argument', details: { field: 'url' } });
    expect(seen).toEqual([]);
    client.close();
  });

  it('closeWhileDownloading_finishedRejectsClosed', async () => {
    worker = (request, port) => {
      const jobId = (request as { jobId: string }).jobId;
      reply(port, { ok: true, value: { jobId, key: 'k', state: 'running' } });
    };
    const client = await registerStreamProxy();
    const job = await client.download({ url: 'https://cdn.test/a.mp4' });
    client.close();
    await expect(job.finished).rejects.toMatchObject({ code: 'closed' });
  });
});
