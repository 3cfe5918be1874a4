import { MESSAGE_KEY } from '../shared/channels.ts';
import type { MethodCall } from '../shared/methods.ts';
import { checkTimeout } from './checkTimeout.ts';
import { createClient } from './createClient.ts';
import { resolveUrl } from './resolveUrl.ts';
import type { RegisterOptions, StreamProxyClient } from './StreamProxyClient.ts';
import { StreamProxyError } from './StreamProxyError.ts';

/**
 * Register the Chunkwise worker and resolve once it controls this page (media requests only
 * reach a controlling worker). A hard reload leaves a page uncontrolled by design; the worker is
 * then asked to claim it. Rejects with a `StreamProxyError`: `unsupported` (no service workers),
 * `registration-failed` (the browser refused the script or scope), `uncontrolled` (no control
 * within `controlTimeoutMs`), `bad-argument` (an option out of bounds).
 */
export async function registerStreamProxy(
  options: RegisterOptions = {},
): Promise<StreamProxyClient> {
  const timeout = checkTimeout('controlTimeoutMs', options.controlTimeoutMs, 10_000);
  checkTimeout('callTimeoutMs', options.callTimeoutMs, 30_000);
  if (!('serviceWorker' in navigator)) {
    throw new StreamProxyError(
      'unsupported',
      'Service workers are not available (insecure origin or private mode?).',
    );
  }
  const sw = navigator.serviceWorker;
  const scriptUrl = resolveUrl('scriptUrl', options.scriptUrl ?? '/sw.js');
  let registration: ServiceWorkerRegistration;
  try {
    registration = await sw.register(
      scriptUrl,
      options.scope === undefined ? {} : { scope: options.scope },
    );
  } catch (error) {
    throw new StreamProxyError(
      'registration-failed',
      `The service worker ${scriptUrl} could not be registered: ${(error as Error).message}`,
      { name: (error as Error).name },
    );
  }
  await withinTimeout(timeout, async () => {
    await sw.ready;
    // Uncontrolled (first load, hard reload), or controlled by a worker of another script URL
    // (the page asked for a different one, e.g. another `?store=`): wait for ours to control it.
    if (sw.controller?.scriptURL === scriptUrl) return;
    const controlled = new Promise<void>((resolve) =>
      sw.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
    // A ping asks the worker to claim this page; its answer is not awaited (control is).
    const ping: MethodCall<'ping'> = { type: 'ping' };
    registration.active?.postMessage({ [MESSAGE_KEY]: ping }, [new MessageChannel().port2]);
    await controlled;
  });
  return createClient(registration, options);
}

/** Run `work`, rejecting with `uncontrolled` if it takes longer than `ms`. */
async function withinTimeout(ms: number, work: () => Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new StreamProxyError(
            'uncontrolled',
            'The service worker does not control this page (after a hard reload, reload normally; a scope that does not cover this page never will).',
          ),
        ),
      ms,
    );
  });
  await Promise.race([work(), expired]).finally(() => clearTimeout(timer));
}
