import type { Browser, CDPSession } from '@playwright/test';

/**
 * A DevTools channel to a service worker, opened from the browser-level CDP session. Playwright
 * has no CDP session for workers, and its `CDPSession` cannot route flattened messages by
 * `sessionId`, so this attaches without flattening and speaks through
 * `Target.sendMessageToTarget` / `Target.receivedMessageFromTarget`.
 */
export class ServiceWorkerTarget {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();

  private constructor(
    private readonly cdp: CDPSession,
    private readonly sessionId: string,
    readonly url: string,
  ) {
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      if (event.sessionId !== sessionId) return;
      const message = JSON.parse(event.message) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (message.id === undefined) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  /** Attach to the running service worker whose script URL starts with `urlPrefix`. */
  static async attach(browser: Browser, urlPrefix: string): Promise<ServiceWorkerTarget> {
    const cdp = await browser.newBrowserCDPSession();
    const { targetInfos } = await cdp.send('Target.getTargets');
    const target = targetInfos.find(
      (t) => t.type === 'service_worker' && t.url.startsWith(urlPrefix),
    );
    if (!target) {
      await cdp.detach();
      throw new Error(`no running service worker under ${urlPrefix}`);
    }
    const { sessionId } = await cdp.send('Target.attachToTarget', {
      targetId: target.targetId,
      flatten: false,
    });
    return new ServiceWorkerTarget(cdp, sessionId, target.url);
  }

  /** Send one DevTools command to the worker and resolve with its result. */
  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const reply = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
    this.cdp
      .send('Target.sendMessageToTarget', {
        sessionId: this.sessionId,
        message: JSON.stringify({ id, method, params }),
      })
      .catch((error: Error) => {
        this.pending.get(id)?.reject(error);
        this.pending.delete(id);
      });
    return reply;
  }

  async detach(): Promise<void> {
    await this.cdp.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => {});
    await this.cdp.detach().catch(() => {});
  }
}
