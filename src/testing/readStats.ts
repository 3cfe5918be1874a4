import type { SessionStats } from '../shared/types.ts';
import type { PageLike } from './PageLike.ts';

/**
 * The Chunkwise worker's stats of session `sessionId`, asked from inside `page` (which the worker
 * must control) over the same messages the client uses, so the page needs no global client.
 */
export function readStats(page: PageLike, sessionId: string): Promise<SessionStats> {
  return page.evaluate(
    (id) =>
      new Promise<SessionStats>((resolve, reject) => {
        const worker = navigator.serviceWorker.controller;
        if (!worker) {
          reject(new Error('no service worker controls this page'));
          return;
        }
        const { port1, port2 } = new MessageChannel();
        port1.onmessage = (event) => {
          port1.close();
          const reply = event.data as
            | { ok: true; value: SessionStats }
            | { ok: false; error: { code: string; message: string } };
          if (reply.ok) resolve(reply.value);
          else reject(new Error(`${reply.error.code}: ${reply.error.message}`));
        };
        worker.postMessage({ chunkwise: { type: 'stats', id } }, [port2]);
      }),
    sessionId,
  );
}
