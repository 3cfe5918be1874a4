import { MESSAGE_KEY } from '../shared/channels.ts';
import type { MethodCall } from '../shared/methods.ts';
import { createClient } from './createClient.ts';
import type { RegisterOptions, StreamProxyClient } from './StreamProxyClient.ts';
import { StreamProxyError } from './StreamProxyError.ts';

/**
 * Register the Chunkwise worker and resolve once it controls this page (media requests only
 * reach a controlling worker). A hard reload leaves a page uncontrolled by design; the worker is
 * then asked to claim it, and if it cannot, this rejects with `uncontrolled` saying so.
 */
export async function registerStreamProxy(
  options: RegisterOptions = {},
): Promise<StreamProxyClient> {
  if (!('serviceWorker' in navigator)) {
    throw new StreamProxyError(
      'unsupported',
      'Service workers are not available (insecure origin or private mode?).',
    );
  }
  const sw = navigator.serviceWorker;
  const scriptUrl = options.scriptUrl ?? '/sw.js';
  const registration = await sw.register(scriptUrl, { scope: options.scope ?? '/' });
  await sw.ready;
  // Uncontrolled (first load, hard reload), or controlled by a worker of another script URL (the
  // page asked for a different one, e.g. another `?store=`): wait for ours to take control.
  const wanted = new URL(scriptUrl, location.href).href;
  if (!sw.controller || sw.controller.scriptURL !== wanted) {
    const controlled = new Promise<void>((resolve) =>
      sw.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
    // A ping asks the worker to claim this page; its answer is not awaited (control is).
    const ping: MethodCall<'ping'> = { type: 'ping' };
    registration.active?.postMessage({ [MESSAGE_KEY]: ping }, [new MessageChannel().port2]);
    const timeout = options.controlTimeoutMs ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new StreamProxyError(
              'uncontrolled',
              'The service worker does not control this page (after a hard reload, reload normally).',
            ),
          ),
        timeout,
      );
    });
    await Promise.race([controlled, expired]).finally(() => clearTimeout(timer));
  }
  return createClient(registration, options);
}
