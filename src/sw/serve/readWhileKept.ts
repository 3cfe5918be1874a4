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
    // In a task of its own, as createChunkedBody's: WebKitGTK calls this with the fetch's
    // connection lock held, and work run from here synchronously can deadlock the worker.
    cancel(reason) {
      return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
        release();
        return reader.cancel(reason);
      });
    },
  });
}
