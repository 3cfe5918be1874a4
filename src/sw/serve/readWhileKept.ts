import { cancelInOwnTask } from './cancelInOwnTask.ts';

/**
 * A stored Blob as a response body that calls `release` once it is over: read to the end,
 * broken, or cancelled. Used where a stored Blob stops being readable once its chunks are evicted
 * (`ChunkStore.blobsOutliveRemoval`): its chunks are kept while the body is read, at the cost of
 * passing the Blob's pieces through JavaScript (no copy).
 */
export function readWhileKept(blob: Blob, release: () => void): ReadableStream<Uint8Array> {
  const reader = blob.stream().getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      return cancelInOwnTask(() => {
        release();
        return reader.cancel(reason);
      });
    },
  });
}
