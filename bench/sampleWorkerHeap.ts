import type { ServiceWorkerTarget } from './ServiceWorkerTarget.ts';

export interface HeapSample {
  /** ms since sampling started. */
  at: number;
  /** V8 JS heap in use (`Runtime.getHeapUsage` `usedSize`). */
  used: number;
  /** ArrayBuffer backing stores, outside the JS heap (`backingStorageSize`). */
  backing: number;
}

/**
 * Sample the worker's heap every `intervalMs` until the returned `stop()` is called; `stop()`
 * resolves with the samples. Samples never overlap: a slow answer delays the next one.
 */
export function sampleWorkerHeap(
  worker: ServiceWorkerTarget,
  intervalMs = 200,
): { stop(): Promise<HeapSample[]> } {
  const samples: HeapSample[] = [];
  const t0 = performance.now();
  let running = true;
  const loop = (async () => {
    while (running) {
      const u = await worker.send<{ usedSize: number; backingStorageSize?: number }>(
        'Runtime.getHeapUsage',
      );
      samples.push({
        at: performance.now() - t0,
        used: u.usedSize,
        backing: u.backingStorageSize ?? 0,
      });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}
