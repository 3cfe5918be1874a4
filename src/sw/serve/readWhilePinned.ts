/**
 * A stored Blob as a response body that calls `unpin` once it is over: read to the end, broken,
 * or cancelled. Used where a stored Blob stops being readable once its chunks are evicted (OPFS
 * files, WebKit's IndexedDB; see `ChunkStore.blobsOutliveRemoval`): its chunks stay pinned while
 * the body is read, at the cost of passing the Blob's pieces through JavaScript (no copy).
 */
export function readWhilePinned(blob: Blob, unpin: () => void): ReadableStream<Uint8Array> {
  const reader = blob.stream().getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          unpin();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        unpin();
        controller.error(error);
      }
    },
    // In a task of its own, as createChunkedBody's: WebKitGTK calls this with the fetch's
    // connection lock held, and work run from here synchronously can deadlock the worker.
    cancel(reason) {
      return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
        unpin();
        return reader.cancel(reason);
      });
    },
  });
}
