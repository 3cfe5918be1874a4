import { MESSAGE_KEY } from '../shared/channels.ts';
import type {
  CallFlags,
  MethodCall,
  MethodName,
  Params,
  Reply,
  Result,
} from '../shared/methods.ts';
import { replyError, StreamProxyError } from './StreamProxyError.ts';

/** Calls to the worker, typed by the method map: `call('stats', { id })` is a `SessionStats`. */
export interface Rpc {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
}

export interface RpcOptions {
  /** The worker to call when no worker controls the page yet. */
  registration: ServiceWorkerRegistration;
  /** How long a call waits for its answer before rejecting with `worker-timeout`. */
  timeoutMs: number;
  /** Flags sent with every call. */
  flags: CallFlags;
  /** False once the client is closed: calls then reject with `closed`. */
  isOpen(): boolean;
}

/**
 * Each call posts `{ chunkwise: { type, ...params } }` with a fresh MessagePort and waits for
 * the reply on it, at most `timeoutMs`: a worker stopped or crashed mid-call never answers.
 */
export function createRpc(options: RpcOptions): Rpc {
  return {
    call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      if (!options.isOpen())
        return Promise.reject(new StreamProxyError('closed', 'The client was closed.'));
      const worker = navigator.serviceWorker.controller ?? options.registration.active;
      if (!worker)
        return Promise.reject(new StreamProxyError('uncontrolled', 'No active service worker.'));
      const message = { type: method, ...params, ...options.flags } as MethodCall<M>;
      return post<M>(worker, message, options.timeoutMs);
    },
  };
}

function post<M extends MethodName>(
  worker: ServiceWorker,
  message: MethodCall<M>,
  timeoutMs: number,
): Promise<Result<M>> {
  const { port1, port2 } = new MessageChannel();
  return new Promise<Result<M>>((resolve, reject) => {
    const settle = () => {
      clearTimeout(timer);
      port1.onmessage = null;
      port1.onmessageerror = null;
      port1.close();
    };
    const timer = setTimeout(() => {
      settle();
      reject(
        new StreamProxyError(
          'worker-timeout',
          `The service worker did not answer ${message.type} within ${timeoutMs} ms.`,
        ),
      );
    }, timeoutMs);
    port1.onmessage = (event: MessageEvent<Reply<M>>) => {
      settle();
      if (event.data.ok) resolve(event.data.value);
      else reject(replyError(event.data.error));
    };
    port1.onmessageerror = () => {
      settle();
      reject(
        new StreamProxyError(
          'message-error',
          `The service worker's answer to ${message.type} could not be deserialized.`,
        ),
      );
    };
    try {
      worker.postMessage({ [MESSAGE_KEY]: message }, [port2]);
    } catch (error) {
      // A parameter that cannot be cloned (DataCloneError): a typed error like any other.
      settle();
      const name = (error as { name?: unknown }).name;
      reject(
        new StreamProxyError(
          name === 'DataCloneError' ? 'DataCloneError' : 'message-error',
          `The call ${message.type} could not be sent: ${(error as Error).message}`,
        ),
      );
    }
  });
}
